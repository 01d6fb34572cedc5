import { occurrenceTargetId } from '@herald/schedules';
import { eventually } from '@herald/testing';
import { CallbackReceiver } from '../support/receiver';
import { call, removeDataDir, tempDataDir } from '../support/herald';
import { HeraldProcess, freePort } from '../support/herald-process';

const GRACE_MS = 1_000;
const LEAD_MS = 1_000;
const EVERY_MS = 2_000;

interface StoredEvent {
  type: string;
  data: Record<string, any>;
  recordedAt: string;
}

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

  const events = async (id: string) => (await call(`${herald.url}/api/v1/schedules/${id}/events`)).body as StoredEvent[];

  it('applies skip, latest and all (catchupMax 3) to the occurrences missed while down, then fires on time again', async () => {
    await herald.start();
    const policies = [{ catchup: 'skip' }, { catchup: 'latest' }, { catchup: 'all', catchupMax: 3 }];
    const ids: string[] = [];
    for (const [i, policy] of policies.entries()) {
      const r = await call(`${herald.url}/api/v1/schedules`, {
        method: 'POST',
        json: { cron: '*/2 * * * * *', target: { reminder: { address: `${receiver.url}/s${i}` } }, ...policy },
      });
      expect(r.status).toBe(201);
      ids.push(r.body.id);
    }
    // Each has fired at least once before the kill.
    await eventually(
      async () => Promise.all(ids.map(async (id) => (await events(id)).filter((e) => e.type === 'OccurrenceFired').length)),
      (counts) => counts.every((n) => n >= 1),
      { what: 'a first occurrence of each', timeoutMs: 15_000 },
    );
    await herald.kill();
    const killedAt = Date.now();
    // Down for 10 s: occurrences keep coming meanwhile (a wait on time is the point of this test).
    await eventually(
      () => Date.now(),
      (now) => now >= killedAt + 10_000,
      { what: '10 s down', timeoutMs: 15_000, intervalMs: 100 },
    );
    await herald.start();

    for (const [i, id] of ids.entries()) {
      const policy = policies[i];
      const all = await eventually(
        () => events(id),
        (es) => es.filter((e) => e.type === 'NextRunPlanned' && Date.parse(e.recordedAt) > killedAt).length >= 2,
        { what: `schedule ${policy.catchup}: the catch-up and one on-time decision after the restart`, timeoutMs: 20_000 },
      );
      const before = all.filter((e) => Date.parse(e.recordedAt) < killedAt);
      const after = all.filter((e) => Date.parse(e.recordedAt) > killedAt);
      const lastFiredBefore = Math.max(...before.filter((e) => e.type === 'OccurrenceFired').map((e) => Date.parse(e.data.scheduledFor)));
      // The first decision after the restart: everything up to its own NextRunPlanned.
      const decision = after.slice(0, after.findIndex((e) => e.type === 'NextRunPlanned') + 1);
      const decidedAt = Date.parse(decision.find((e) => e.type === 'OccurrenceFired')?.data.firedAt ?? decision[0].data.recordedAt);
      const came: number[] = [];
      // Decided up to LEAD_MS ahead: those still to come are created due at their time.
      for (let t = lastFiredBefore + EVERY_MS; t <= decidedAt + LEAD_MS; t += EVERY_MS) came.push(t);
      const overdue = came.filter((t) => decidedAt - t > GRACE_MS);
      const onTime = came.filter((t) => decidedAt - t <= GRACE_MS);
      const caughtUp = policy.catchup === 'skip' ? [] : overdue.slice(policy.catchup === 'latest' ? -1 : -policy.catchupMax!);
      const iso = (ts: number[]) => ts.map((t) => new Date(t).toISOString());

      expect(overdue.length).toBeGreaterThanOrEqual(4); // ~10 s down at one every 2 s
      const fired = decision.filter((e) => e.type === 'OccurrenceFired').map((e) => e.data.scheduledFor);
      const missed = decision.filter((e) => e.type === 'OccurrencesMissed').flatMap((e) => e.data.scheduledFor as string[]);
      expect(fired).toEqual(iso([...caughtUp, ...onTime]));
      expect(missed).toEqual(iso(came.filter((t) => !caughtUp.includes(t) && !onTime.includes(t))));

      // Each fired occurrence reached the receiver once, under its derived reminder id.
      for (const scheduledFor of fired) {
        const reminderId = occurrenceTargetId(id, scheduledFor);
        await eventually(
          () => receiver.for(reminderId),
          (c) => c.length === 1,
          { what: `the callback of ${scheduledFor}` },
        );
      }
      // And the next decision is on time again: one occurrence, decided ahead of its time, its callback on time.
      const next = after.slice(decision.length);
      const onTimeAgain = next.find((e) => e.type === 'OccurrenceFired')!;
      expect(Date.parse(onTimeAgain.data.firedAt)).toBeLessThanOrEqual(Date.parse(onTimeAgain.data.scheduledFor));
      const [callback] = await eventually(
        () => receiver.for(occurrenceTargetId(id, onTimeAgain.data.scheduledFor)),
        (c) => c.length === 1,
        { what: 'the on-time callback' },
      );
      expect(callback.at).toBeGreaterThanOrEqual(Date.parse(onTimeAgain.data.scheduledFor));
    }
  });
});
