import { eventually } from '@herald/testing';
import { call, removeDataDir, tempDataDir } from '../support/herald';
import { HeraldProcess, freePort } from '../support/herald-process';
import { RawWorker } from '../support/raw-worker';

/**
 * Tasks survive a kill -9 of the embedded app: a lease's lapse goes through
 * the scheduler's durable time index, and queued tasks are offered again.
 */
describe('tasks across a kill -9 (all-in-one as an OS process, raw HTTP workers)', () => {
  let dataDir: string;
  let herald: HeraldProcess;

  beforeAll(async () => {
    dataDir = tempDataDir();
    herald = new HeraldProcess('all-in-one', { DATA_DIR: dataDir, PORT: String(await freePort()) });
    await herald.start();
  });
  afterAll(async () => {
    await herald.stop();
    removeDataDir(dataDir);
  });

  const enqueue = async (body: Record<string, unknown>) => {
    const r = await call(`${herald.url}/api/v1/tasks`, { method: 'POST', json: body });
    expect(r.status).toBe(202);
    return r.body.id as string;
  };
  const task = (id: string) => call(`${herald.url}/api/v1/tasks/${id}`);
  const events = async (id: string) =>
    (await call(`${herald.url}/api/v1/tasks/${id}/events`)).body as { type: string; data: Record<string, unknown> }[];

  it('lapses a lease whose worker was silent across the restart: queued again as the next attempt, checkpoint kept, old token fenced', async () => {
    const type = 'restart.leased';
    // Long enough that the kill surely comes before the lease's expiry on a loaded machine, short enough for a quick lapse after.
    const id = await enqueue({ type, heartbeatTimeoutMs: 4_000 });
    const before = new RawWorker(herald.url, 'worker-before');
    const lease = await before.leaseOne(type);
    expect(lease).toMatchObject({ taskId: id, attempt: 1 });
    const beat = await before.report(lease.token, 'heartbeat', { checkpoint: { page: 3 } });
    expect(beat.status).toBe(200); // the checkpoint is durable from here
    await herald.kill();
    const killedAt = Date.now();
    // The lease was still alive at the kill: whatever lapses it is the restarted process.
    expect(killedAt).toBeLessThan(Date.parse(beat.body.expiresAt));

    await herald.start();
    const lapsed = await eventually(
      () => task(id),
      (r) => r.status === 200 && r.body.status === 'Queued' && r.body.attempt === 1, // not the view from before the lease (attempt 0)
      { timeoutMs: 10_000, what: 'the lapse recorded after the restart' },
    );
    expect(lapsed.body).toMatchObject({ attempt: 1, checkpoint: { page: 3 } });
    const lapse = (await events(id)).find((e) => e.type === 'TaskLeaseLapsed');
    expect(lapse?.data).toMatchObject({ attempt: 1 });
    expect(Date.parse(lapse!.data.lapsedAt as string)).toBeGreaterThan(killedAt);

    // Attempt 1 was spent: the next worker gets attempt 2, and the checkpoint.
    const after = new RawWorker(herald.url, 'worker-after');
    const next = await after.leaseOne(type, 10_000);
    expect(next).toMatchObject({ taskId: id, attempt: 2, checkpoint: { page: 3 } });
    const late = await before.report(lease.token, 'complete', { result: 'from the dead lease' });
    expect([late.status, late.body.code]).toEqual([409, 'LeaseLost']);
    expect((await after.report(next.token, 'complete', { result: 'done' })).status).toBe(200);
    const done = await eventually(
      () => task(id),
      (r) => r.body?.status === 'Completed',
      { what: 'the task completed by the new lease' },
    );
    expect(done.body.result).toBe('done');
  });

  it('offers a task queued before the kill to workers after the restart', async () => {
    const type = 'restart.queued';
    const id = await enqueue({ type, params: { pages: 2 } });
    await herald.kill();
    await herald.start();
    const worker = new RawWorker(herald.url, 'worker-after');
    const lease = await worker.leaseOne(type, 10_000);
    expect(lease).toMatchObject({ taskId: id, attempt: 1, params: { pages: 2 }, checkpoint: null });
    expect((await worker.report(lease.token, 'complete', {})).status).toBe(200);
  });
});
