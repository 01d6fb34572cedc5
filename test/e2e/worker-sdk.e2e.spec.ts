import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from '@herald/testing';
import { ExampleApp } from '../support/example-app';
import { RunningHerald, call, removeDataDir, startHerald } from '../support/herald';

/**
 * Real worker processes running the SDK (the example app in worker mode)
 * against Herald: competing, paused and resumed elsewhere, cancelled,
 * killed mid-task, failing and retriggered. Each test starts and stops its own Herald and workers.
 */
describe('the worker SDK in real worker processes (example app, both modes)', () => {
  let herald: RunningHerald;
  const apps: ExampleApp[] = [];
  const start = async (mode: 'api' | 'worker', env: Record<string, string> = {}) => {
    const app = await new ExampleApp(mode, { HERALD_URL: herald.url, ...env }).start();
    apps.push(app);
    return app;
  };
  const worker = (id: string, concurrency = 4) => start('worker', { WORKER_ID: id, WORKER_CONCURRENCY: String(concurrency) });

  // A Herald of its own per test: the workers only know one task type, so no test may meet another's tasks.
  beforeEach(async () => {
    herald = await startHerald({ RETRY_BASE_DELAY_MS: '50', RETRY_MAX_DELAY_MS: '200' });
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.stop()));
    await herald.close();
    removeDataDir(herald.dataDir);
  });

  const enqueue = async (params: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    (await call(`${herald.url}/api/v1/tasks`, { method: 'POST', json: { type: 'report.export', params, ...extra } })).body.id as string;
  const task = async (id: string) => (await call(`${herald.url}/api/v1/tasks/${id}`)).body;
  const until = (id: string, accept: (t: Record<string, any>) => boolean, what: string, timeoutMs = 15_000) =>
    eventually(() => task(id), accept, { what: `task ${id}: ${what}`, timeoutMs });
  const act = (id: string, action: string) => call(`${herald.url}/api/v1/tasks/${id}/${action}`, { method: 'POST' });

  it('enqueues through the example API and builds the report in an example worker', async () => {
    const api = await start('api');
    await worker('w-1');
    const created = await call(`${api.url}/reports`, { method: 'POST', json: { month: '2026-10', pages: 3 } });
    expect(created.status).toBe(202);
    const done = await eventually(
      () => call(`${api.url}/reports/${created.body.reportId}`),
      (r) => r.body.status === 'Completed',
      { what: 'report built' },
    );
    expect(done.body.result).toEqual({ url: 'https://files.example/2026-10.csv', firstPage: 0, builtBy: 'w-1' });
  });

  it('has two worker processes run 500 tasks, each completed exactly once', async () => {
    const ids = await Promise.all(Array.from({ length: 500 }, (_, i) => enqueue({ month: `m${i}`, pages: 0 })));
    await Promise.all([worker('w-a', 8), worker('w-b', 8)]);
    await eventually(
      () => call(`${herald.url}/api/v1/tasks?status=Completed&limit=500&createdAfter=2000-01-01T00:00:00Z`),
      (r) => ids.every((id) => r.body.items.some((t: { id: string }) => t.id === id)),
      { what: '500 Completed', timeoutMs: 60_000, intervalMs: 250 },
    );
    const completions = ids.map((id) => herald.streamEvents(`task-${id}`).filter((e) => e.type === 'TaskCompleted').length);
    expect(completions.filter((n) => n !== 1)).toEqual([]);
    const builders = new Set(
      ids.map((id) => (herald.streamEvents(`task-${id}`).find((e) => e.type === 'TaskCompleted')!.data.result as { builtBy: string }).builtBy),
    );
    expect([...builders].sort()).toEqual(['w-a', 'w-b']); // both competed
  }, 90_000);

  it('pauses a running task; a different worker resumes it from the saved checkpoint', async () => {
    const first = await worker('w-first');
    const id = await enqueue({ month: '2026-09', pages: 40, pageMs: 50 }, { heartbeatTimeoutMs: 1_500 });
    await until(id, (t) => (t.checkpoint?.page ?? 0) >= 3, 'past page 3');
    expect((await act(id, 'pause')).body.status).toBe('Pausing');
    const paused = await until(id, (t) => t.status === 'Paused', 'paused by its worker');
    const savedPage = paused.checkpoint.page as number;
    await first.stop();
    await worker('w-second');
    await act(id, 'resume');
    const done = await until(id, (t) => t.status === 'Completed', 'completed');
    expect(done.result).toMatchObject({ firstPage: savedPage, builtBy: 'w-second' });
    expect(first.output.join('')).toMatch(/stopped at page \d+ \(paused\)/);
  });

  it('cancels a running task: its signal fires and it ends Cancelled', async () => {
    const w = await worker('w-cancel');
    const id = await enqueue({ month: '2026-08', pages: 100, pageMs: 50 }, { heartbeatTimeoutMs: 1_500 });
    await until(id, (t) => (t.checkpoint?.page ?? 0) >= 2, 'past page 2');
    expect((await act(id, 'cancel')).body.status).toBe('Cancelling');
    await until(id, (t) => t.status === 'Cancelled', 'cancelled');
    await eventually(
      () => w.output.join(''),
      (out) => /stopped at page \d+ \(cancelled\)/.test(out),
      { what: 'the handler saw its signal' },
    );
  });

  it('resumes a task from its last checkpoint on another worker after its worker is killed -9, and fences the dead lease', async () => {
    const doomed = await worker('w-doomed');
    const id = await enqueue({ month: '2026-07', pages: 40, pageMs: 50 }, { heartbeatTimeoutMs: 1_500 });
    const mid = await until(id, (t) => (t.checkpoint?.page ?? 0) >= 3, 'past page 3');
    await doomed.kill();
    const deadToken = herald
      .streamEvents(`task-${id}`)
      .filter((e) => e.type === 'TaskLeased')
      .pop()!.data.token as string;
    await worker('w-rescue');
    const done = await until(id, (t) => t.status === 'Completed', 'completed by the rescuer', 20_000);
    expect(done.attempt).toBe(2);
    expect((done.result as { firstPage: number; builtBy: string }).firstPage).toBeGreaterThanOrEqual(mid.checkpoint.page);
    expect(done.result).toMatchObject({ builtBy: 'w-rescue' });
    const late = await call(`${herald.url}/api/v1/workers/leases/${deadToken}/complete`, { method: 'POST', json: { result: 'too late' } });
    expect([late.status, late.body.code]).toEqual([409, 'LeaseLost']);
  });

  it('retries a failing task until it is Failed, then a retrigger runs it again', async () => {
    await worker('w-retry');
    const notReady = join(herald.dataDir, 'archive-not-ready');
    writeFileSync(notReady, '');
    const id = await enqueue({ month: '2026-06', pages: 1, failWhileFileExists: notReady }, { maxAttempts: 2 });
    const failed = await until(id, (t) => t.status === 'Failed', 'failed after 2 attempts');
    expect([failed.attempt, failed.error]).toEqual([2, 'the archive for 2026-06 is not ready yet']);
    rmSync(notReady);
    expect((await act(id, 'retrigger')).body.status).toBe('Queued');
    const done = await until(id, (t) => t.status === 'Completed', 'completed after the retrigger');
    expect(done.attempt).toBe(1);
  });
});
