import { RABBITMQ_TEST_URL, eventually, serverAvailable } from '@herald/testing';
import { call } from '../support/herald';
import { ExampleApp } from '../support/example-app';
import { RawWorker } from '../support/raw-worker';
import { REPORT_EXPORT, exampleWorkerScenarios } from '../support/tasks-sdk-scenarios';
import { TaskStack, fullStackTarget, rawWorkersCompeteForTasks } from '../support/tasks-stack';

const run = serverAvailable('RabbitMQ', RABBITMQ_TEST_URL);

/**
 * Tasks with the services as separate processes over RabbitMQ: the scheduler
 * hands task starts and lease expiries to the broker, the command API's
 * consumers offer starts to its lease endpoint and record lapses, the query
 * APIs project the task views.
 */
(run ? describe : describe.skip)('tasks on the full stack: separate services over RabbitMQ', () => {
  let starting: Promise<TaskStack> | undefined;
  let stack: TaskStack;
  beforeAll(async () => {
    starting = fullStackTarget(['fs.batch', 'fs.pausable', 'fs.actions', REPORT_EXPORT]).start({
      RETRY_BASE_DELAY_MS: '50',
      RETRY_MAX_DELAY_MS: '200',
    });
    stack = await starting;
  }, 90_000);
  afterAll(async () => {
    // Also a stack whose start outlasted the hook's timeout: its processes would outlive the run.
    await (await starting?.catch(() => null))?.stop();
  }, 90_000);

  const enqueue = (body: Record<string, unknown>) => call(`${stack.writeUrl}/api/v1/tasks`, { method: 'POST', json: body });
  const view = (id: string) => call(`${stack.readUrl}/api/v1/tasks/${id}`);
  const settled = (id: string, status: string) =>
    eventually(
      () => view(id),
      (v) => v.body?.status === status,
      { what: `task ${id} ${status}`, timeoutMs: 15_000 },
    );

  it('runs 500 tasks with two competing raw HTTP workers, each completed exactly once', async () => {
    await rawWorkersCompeteForTasks(stack, 'fs.batch', 500);
  }, 90_000);

  it('pauses and resumes a running task across workers, and lets a silent lease lapse through the broker', async () => {
    const type = 'fs.pausable';
    const id = (await enqueue({ type, heartbeatTimeoutMs: 1_000 })).body.id;
    const a = new RawWorker(stack.writeUrl, 'a');
    const b = new RawWorker(stack.writeUrl, 'b');
    const first = await a.leaseOne(type, 10_000);
    await a.report(first.token, 'heartbeat', { checkpoint: { step: 1 } });
    expect((await call(`${stack.writeUrl}/api/v1/tasks/${id}/pause`, { method: 'POST' })).body.status).toBe('Pausing');
    expect((await a.report(first.token, 'release', { checkpoint: { step: 2 } })).body.status).toBe('Paused');
    await call(`${stack.writeUrl}/api/v1/tasks/${id}/resume`, { method: 'POST' });
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
    const w = new RawWorker(stack.writeUrl, 'a');
    const cancelled = (await enqueue({ type })).body.id;
    const running = await w.leaseOne(type, 10_000);
    expect((await call(`${stack.writeUrl}/api/v1/tasks/${cancelled}/cancel`, { method: 'POST' })).body.status).toBe('Cancelling');
    expect((await w.report(running.token, 'heartbeat', {})).body.cancelRequested).toBe(true);
    expect((await w.report(running.token, 'release', {})).body.status).toBe('Cancelled');
    const failing = (await enqueue({ type, maxAttempts: 2 })).body.id;
    for (let attempt = 1; attempt <= 2; attempt++) {
      const lease = await w.leaseOne(type, 10_000);
      expect([lease.taskId, lease.attempt]).toEqual([failing, attempt]);
      await w.report(lease.token, 'fail', { error: `boom ${attempt}` });
    }
    await settled(failing, 'Failed');
    expect((await call(`${stack.writeUrl}/api/v1/tasks/${failing}/retrigger`, { method: 'POST' })).body.status).toBe('Queued');
    const again = await w.leaseOne(type, 10_000);
    expect([again.taskId, again.attempt]).toEqual([failing, 1]);
    await w.report(again.token, 'complete', {});
    await settled(failing, 'Completed');
    await settled(cancelled, 'Cancelled');
  }, 60_000);

  it('runs the example app in both modes against the separate services: SDK workers build 100 reports', async () => {
    const api = await new ExampleApp('api', { HERALD_URL: stack.writeUrl }).start();
    const workers = await Promise.all(
      ['sdk-a', 'sdk-b'].map((id) => new ExampleApp('worker', { HERALD_URL: stack.writeUrl, WORKER_ID: id, WORKER_CONCURRENCY: '8' }).start()),
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

/**
 * The worker SDK in real worker processes (the example app in worker mode)
 * against the separate services: the scenarios of worker-sdk.e2e, over
 * RabbitMQ. The workers only know one task type, so each test gets a full
 * stack of its own.
 */
(run ? describe : describe.skip)('the worker SDK in real worker processes on the full stack over RabbitMQ', () => {
  exampleWorkerScenarios(fullStackTarget([REPORT_EXPORT]));
});
