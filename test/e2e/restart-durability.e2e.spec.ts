import { eventually } from '@herald/testing';
import { CallbackReceiver } from '../support/receiver';
import { call, removeDataDir, tempDataDir } from '../support/herald';
import { HeraldProcess, freePort } from '../support/herald-process';

/** The embedded default survives kill -9: nothing defined is lost, nothing fires twice. */
describe('restart durability (all-in-one as an OS process, SIGKILL)', () => {
  let receiver: CallbackReceiver;
  let dataDir: string;
  let herald: HeraldProcess;

  beforeAll(async () => {
    receiver = await new CallbackReceiver().start();
    dataDir = tempDataDir();
    herald = new HeraldProcess('all-in-one', { DATA_DIR: dataDir, PORT: String(await freePort()) });
  });
  afterAll(async () => {
    await herald.stop();
    await receiver.stop();
    removeDataDir(dataDir);
  });

  const define = async (body: Record<string, unknown>) => {
    const r = await call(`${herald.url}/api/v1/reminders`, { method: 'POST', json: body });
    expect(r.status).toBe(201);
    return r.body as { id: string; dueAt: string };
  };

  it('fires what fell due while down promptly on start, and what is due later on time, each once', async () => {
    await herald.start();
    const missed = await define({ seconds: 1, address: `${receiver.url}/missed` });
    const later = await define({ seconds: 6, address: `${receiver.url}/later` });
    await herald.kill();

    // Stay down until the first reminder's time has passed.
    await eventually(
      () => Date.now(),
      (now) => now > Date.parse(missed.dueAt) + 500,
      { what: 'the missed due time' },
    );
    expect(receiver.received).toEqual([]);

    await herald.start();
    const startedAt = Date.now();
    const [firedLate] = await eventually(
      () => receiver.for(missed.id),
      (c) => c.length >= 1,
      { what: 'the missed callback' },
    );
    expect(firedLate.at - startedAt).toBeLessThan(1_000);

    const [onTime] = await eventually(
      () => receiver.for(later.id),
      (c) => c.length >= 1,
      { timeoutMs: 15_000, what: 'the later callback' },
    );
    expect(onTime.at).toBeGreaterThanOrEqual(Date.parse(later.dueAt));
    expect(onTime.at - Date.parse(later.dueAt)).toBeLessThanOrEqual(250);

    for (const { id } of [missed, later]) {
      const view = await eventually(
        () => call(`${herald.url}/api/v1/reminders/${id}`),
        (r) => r.body?.status === 'Completed',
      );
      expect(view.body.attempts).toBe(1);
      expect(receiver.for(id)).toHaveLength(1);
    }
  });

  it('keeps the read model and the audit trail across a kill -9', async () => {
    const cancelled = await define({ minutes: 30, address: `${receiver.url}/never` });
    expect((await call(`${herald.url}/api/v1/reminders/${cancelled.id}`, { method: 'DELETE' })).status).toBe(204);
    await eventually(
      () => call(`${herald.url}/api/v1/reminders/${cancelled.id}`),
      (r) => r.body?.status === 'Cancelled',
    );
    await herald.kill();
    await herald.start();
    const view = await call(`${herald.url}/api/v1/reminders/${cancelled.id}`);
    expect(view.body.status).toBe('Cancelled');
    const events = await call(`${herald.url}/api/v1/reminders/${cancelled.id}/events`);
    expect(events.body.map((e: { type: string }) => e.type)).toEqual(['ReminderDefined', 'ReminderCancelled']);
  });
});
