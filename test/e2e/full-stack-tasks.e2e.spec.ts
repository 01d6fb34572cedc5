import { RABBITMQ_TEST_URL, eventually, serverAvailable } from '@herald/testing';
import { call } from '../support/herald';
import { Replicas, startReplicas, stopReplicas } from '../support/full-stack';
import { ExampleApp } from '../support/example-app';
import { RawWorker } from '../support/raw-worker';

const run = serverAvailable('RabbitMQ', RABBITMQ_TEST_URL);

/**
 * Tasks with the services as separate processes over RabbitMQ: the scheduler
 * hands task starts and lease expiries to the broker, the command API's
 * consumers offer starts to its lease endpoint and record lapses, the query
 * APIs project the task views.
 */
(run ? describe : describe.skip)('tasks on the full stack: separate services over RabbitMQ', () => {
  let r: Replicas;
  beforeAll(async () => {
    r = await startReplicas({ RETRY_BASE_DELAY_MS: '50', RETRY_MAX_DELAY_MS: '200' });
  }, 60_000);
  afterAll(async () => {
    if (r) await stopReplicas(r, ['fs.batch', 'fs.pausable', 'fs.actions', 'report.export']);
  });

  const enqueue = (body: Record<string, unknown>) => call(`${r.commandApi.url}/api/v1/tasks`, { method: 'POST', json: body });
  const view = (id: string) => call(`${r.queryApis[1].url}/api/v1/tasks/${id}`);
  const settled = (id: string, status: string) =>
    eventually(
      () => view(id),
      (v) => v.body?.status === status,
      { what: `task ${id} ${status}`, timeoutMs: 15_000 },
    );

  it('runs 200 tasks with two competing workers, each completed exactly once', async () => {
    const type = 'fs.batch';
    const ids = new Set<string>();
    for (let i = 0; i < 200; i++) ids.add((await enqueue({ type, params: { i } })).body.id);
    const done: string[] = [];
    const work = async (worker: RawWorker) => {
      while (done.length < ids.size) {
        for (const lease of await worker.lease([type], { max: 20, waitMs: 500 })) {
          const c = await worker.report(lease.token, 'complete', { result: { by: worker.workerId } });
          if (c.status !== 200) throw new Error(`complete: ${c.status} ${JSON.stringify(c.body)}`);
          done.push(lease.taskId);
        }
      }
    };
    await Promise.all([work(new RawWorker(r.commandApi.url, 'a')), work(new RawWorker(r.commandApi.url, 'b'))]);
    expect(done.sort()).toEqual([...ids].sort());
    await eventually(
      () => call(`${r.queryApis[0].url}/api/v1/tasks?type=${type}&status=Completed&limit=500`),
      (l) => l.body.items.length === 200,
      { what: '200 Completed on the read side', timeoutMs: 20_000 },
    );
  }, 60_000);

  it('pauses and resumes a running task across workers, and lets a silent lease lapse through the broker', async () => {
    const type = 'fs.pausable';
    const id = (await enqueue({ type, heartbeatTimeoutMs: 1_000 })).body.id;
    const a = new RawWorker(r.commandApi.url, 'a');
    const b = new RawWorker(r.commandApi.url, 'b');
    const first = await a.leaseOne(type, 10_000);
    await a.report(first.token, 'heartbeat', { checkpoint: { step: 1 } });
    expect((await call(`${r.commandApi.url}/api/v1/tasks/${id}/pause`, { method: 'POST' })).body.status).toBe('Pausing');
    expect((await a.report(first.token, 'release', { checkpoint: { step: 2 } })).body.status).toBe('Paused');
    await call(`${r.commandApi.url}/api/v1/tasks/${id}/resume`, { method: 'POST' });
    const second = await b.leaseOne(type, 10_000);
    expect(second).toMatchObject({ taskId: id, checkpoint: { step: 2 } });
    // b goes silent: the lapse fires from the scheduler's time index, through the broker.
    const third = await a.leaseOne(type, 15_000);
    expect(third).toMatchObject({ taskId: id, attempt: 2, checkpoint: { step: 2 } });
    const late = await b.report(second.token, 'complete', {});
    expect([late.status, late.body.code]).toEqual([409, 'LeaseLost']);
    await a.report(third.token, 'complete', { result: 42 });
    await settled(id, 'Completed');
  }, 60_000);

  it('cancels a running task, and retries a failing one until Failed, then retriggers it', async () => {
    const type = 'fs.actions';
    const w = new RawWorker(r.commandApi.url, 'a');
    const cancelled = (await enqueue({ type })).body.id;
    const running = await w.leaseOne(type, 10_000);
    expect((await call(`${r.commandApi.url}/api/v1/tasks/${cancelled}/cancel`, { method: 'POST' })).body.status).toBe('Cancelling');
    expect((await w.report(running.token, 'heartbeat', {})).body.cancelRequested).toBe(true);
    expect((await w.report(running.token, 'release', {})).body.status).toBe('Cancelled');
    const failing = (await enqueue({ type, maxAttempts: 2 })).body.id;
    for (let attempt = 1; attempt <= 2; attempt++) {
      const lease = await w.leaseOne(type, 10_000);
      expect([lease.taskId, lease.attempt]).toEqual([failing, attempt]);
      await w.report(lease.token, 'fail', { error: `boom ${attempt}` });
    }
    await settled(failing, 'Failed');
    expect((await call(`${r.commandApi.url}/api/v1/tasks/${failing}/retrigger`, { method: 'POST' })).body.status).toBe('Queued');
    const again = await w.leaseOne(type, 10_000);
    expect([again.taskId, again.attempt]).toEqual([failing, 1]);
    await w.report(again.token, 'complete', {});
    await settled(failing, 'Completed');
    await settled(cancelled, 'Cancelled');
  }, 60_000);

  it('runs the example app in both modes against the separate services: SDK workers build 100 reports', async () => {
    const api = await new ExampleApp('api', { HERALD_URL: r.commandApi.url }).start();
    const workers = await Promise.all(
      ['sdk-a', 'sdk-b'].map((id) => new ExampleApp('worker', { HERALD_URL: r.commandApi.url, WORKER_ID: id, WORKER_CONCURRENCY: '8' }).start()),
    );
    try {
      const ids: string[] = [];
      for (let i = 0; i < 100; i++)
        ids.push((await call(`${api.url}/reports`, { method: 'POST', json: { month: `fs-${i}`, pages: 2 } })).body.reportId);
      await eventually(
        () => Promise.all(ids.map((id) => view(id))),
        (views) => views.every((v) => v.body?.status === 'Completed'),
        { what: '100 reports Completed on the read side', timeoutMs: 30_000, intervalMs: 500 },
      );
    } finally {
      await Promise.all([api, ...workers].map((a) => a.stop()));
    }
  }, 60_000);
});
