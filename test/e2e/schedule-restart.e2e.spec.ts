import { CallbackReceiver } from '../support/receiver';
import { removeDataDir, tempDataDir } from '../support/herald';
import { HeraldProcess, freePort } from '../support/herald-process';
import { ScheduleClient, expectCatchupAcrossOutage } from '../support/schedules';

const GRACE_MS = 1_000;
const LEAD_MS = 1_000;

/** kill -9 for 10 s, then restart: each schedule's catch-up policy decides the occurrences that came meanwhile, exactly. */
describe('schedules across a kill -9 (all-in-one as an OS process)', () => {
  let receiver: CallbackReceiver;
  let dataDir: string;
  let herald: HeraldProcess;

  beforeAll(async () => {
    receiver = await new CallbackReceiver().start();
    dataDir = tempDataDir();
    herald = new HeraldProcess('all-in-one', {
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      SCHEDULE_CATCHUP_GRACE_MS: String(GRACE_MS),
      SCHEDULE_LEAD_MS: String(LEAD_MS),
    });
  });
  afterAll(async () => {
    await herald.stop();
    await receiver.stop();
    removeDataDir(dataDir);
  });

  it('applies skip, latest and all (catchupMax 3) to the occurrences missed while down, then fires on time again', async () => {
    await herald.start();
    await expectCatchupAcrossOutage(
      new ScheduleClient({ command: herald.url, query: herald.url }),
      receiver,
      { graceMs: GRACE_MS, leadMs: LEAD_MS },
      { kill: () => herald.kill(), restart: () => herald.start() },
    );
  });
});
