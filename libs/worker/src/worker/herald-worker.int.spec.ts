import { eventually } from '@herald/testing';
import { NonRetryableError } from '../errors';
import { WorkerLogger } from '../logger';
import { FakeHerald, startFakeHerald } from '../testing/fake-herald.int-helpers';
import { deferred, Deferred } from '../util/deferred';
import { HeraldWorker } from './herald-worker';
import { HeraldWorkerOptions } from './options';

describe('HeraldWorker against a fake Herald', () => {
  let herald: FakeHerald;
  let worker: HeraldWorker | undefined;

  const newWorker = (options: Partial<HeraldWorkerOptions> = {}) =>
    (worker = new HeraldWorker({ url: herald.url, workerId: 'w-1', pollWaitMs: 1_000, logger: false, ...options }));

  beforeEach(async () => {
    herald = await startFakeHerald();
  });

  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
    await herald.close();
  });

  it('runs a handler with the lease and completes the task with its result', async () => {
    const taskId = herald.add('report.export', { month: '2024-05' }, { page: 2 });
    const seen: unknown[] = [];
    newWorker().handle('report.export', async (ctx) => {
      seen.push({ taskId: ctx.taskId, type: ctx.type, params: ctx.params, saved: ctx.savedCheckpoint, attempt: ctx.attempt, workerId: ctx.workerId });
      return { url: 'https://files/report.csv' };
    });
    await worker!.start();

    await eventually(
      () => herald.task(taskId).status,
      (s) => s === 'completed',
      { what: 'task completed' },
    );
    expect(herald.task(taskId).result).toEqual({ url: 'https://files/report.csv' });
    expect(seen).toEqual([{ taskId, type: 'report.export', params: { month: '2024-05' }, saved: { page: 2 }, attempt: 1, workerId: 'w-1' }]);
    expect(herald.leaseCalls[0].body).toEqual({ workerId: 'w-1', types: ['report.export'], max: 1, waitMs: 1_000 });
  });

  it('fails a task retryably when its handler throws, and not retryably for a NonRetryableError', async () => {
    const flaky = herald.add('flaky');
    const invalid = herald.add('invalid');
    newWorker({ concurrency: 2 })
      .handle('flaky', async () => {
        throw new Error('disk full');
      })
      .handle('invalid', async () => {
        throw new NonRetryableError('unknown month');
      });
    await worker!.start();

    await eventually(
      () => [herald.task(flaky).status, herald.task(invalid).status],
      (s) => s.every((x) => x === 'failed'),
      { what: 'both failed' },
    );
    expect(herald.callsFor(flaky, 'fail')[0].body).toEqual({ error: 'disk full', retryable: true });
    expect(herald.callsFor(invalid, 'fail')[0].body).toEqual({ error: 'unknown month', retryable: false });
  });

  it('runs middleware in registration order around the handler', async () => {
    const taskId = herald.add('report.export');
    const seen: string[] = [];
    newWorker()
      .use(async (ctx, next) => {
        seen.push(`log:start ${ctx.taskId}`);
        const result = await next();
        seen.push('log:end');
        return result;
      })
      .use(async (_ctx, next) => {
        seen.push('metrics:start');
        const result = await next();
        seen.push('metrics:end');
        return { ...(result as object), measured: true };
      })
      .handle('report.export', async () => {
        seen.push('handler');
        return { url: 'u' };
      });
    await worker!.start();

    await eventually(
      () => herald.task(taskId).status,
      (s) => s === 'completed',
    );
    expect(seen).toEqual([`log:start ${taskId}`, 'metrics:start', 'handler', 'metrics:end', 'log:end']);
    expect(herald.task(taskId).result).toEqual({ url: 'u', measured: true });
  });

  it('never runs more than `concurrency` tasks, and its open lease requests never ask for more than its free slots', async () => {
    const concurrency = 3;
    const gates = new Map<string, Deferred<void>>();
    const ids = Array.from({ length: 8 }, () => herald.add('job'));
    let running = 0;
    let peak = 0;
    // The worker's own count when it sends each lease request: with the other open request's `max`, at most its free slots.
    const asked: { max: number; held: number }[] = [];
    const recordingFetch: typeof fetch = (input, init) => {
      if ((input as string).endsWith('/leases')) asked.push({ max: JSON.parse(init!.body as string).max, held: worker!.running });
      return fetch(input, init);
    };
    newWorker({ concurrency, fetch: recordingFetch }).handle('job', async (ctx) => {
      peak = Math.max(peak, ++running);
      const gate = deferred();
      gates.set(ctx.taskId, gate);
      await gate.promise;
      running--;
    });
    await worker!.start();

    // Let tasks finish one at a time, each only once the worker holds a full set of slots again.
    for (let finished = 0; finished < ids.length; finished++) {
      const expected = Math.min(concurrency, ids.length - finished);
      await eventually(
        () => gates.size,
        (n) => n === expected,
        { what: `${expected} tasks running` },
      );
      const [taskId, gate] = gates.entries().next().value!;
      gates.delete(taskId);
      gate.resolve();
    }

    await eventually(
      () => ids.map((id) => herald.task(id).status),
      (s) => s.every((x) => x === 'completed'),
      { what: 'all completed' },
    );
    expect(peak).toBe(concurrency);
    expect(asked.length).toBeGreaterThan(2);
    for (const { max, held } of asked) expect(max + held).toBeLessThanOrEqual(concurrency);
    // Two requests open from the start, sharing the slots between them.
    expect(asked.slice(0, 2).map((a) => a.max)).toEqual([2, 1]);
    expect(asked.some(({ max }) => max === 1)).toBe(true); // a slot freed mid-run is asked for alone
    // And the server never had more of this worker's leases out than it has slots.
    for (const call of herald.leaseCalls) expect(call.body.max + call.activeLeases!).toBeLessThanOrEqual(concurrency);
  });

  it('sends the reports of tasks that finish together in shared requests, and tells onSettled what Herald recorded', async () => {
    const ids = Array.from({ length: 12 }, () => herald.add('job'));
    const gate = deferred();
    const settled: unknown[] = [];
    newWorker({ concurrency: 12, onSettled: (report) => settled.push(report) }).handle('job', async () => gate.promise);
    await worker!.start();
    await eventually(
      () => worker!.running,
      (n) => n === 12,
      { what: 'all 12 running' },
    );
    gate.resolve();

    await eventually(
      () => ids.map((id) => herald.task(id).status),
      (s) => s.every((x) => x === 'completed'),
      { what: 'all completed' },
    );
    const completes = herald.calls.filter((c) => c.action === 'complete');
    expect(completes).toHaveLength(12);
    expect(completes.every((c) => c.via === 'batch')).toBe(true);
    // At most two requests in flight: twelve reports made at once cannot take more than a handful of requests.
    expect(Math.max(...completes.map((c) => c.batchSize!))).toBeGreaterThan(1);
    await eventually(
      () => settled.length,
      (n) => n === 12,
      { what: 'onSettled for each' },
    );
    expect(settled).toContainEqual({ taskId: ids[0], type: 'job', outcome: 'complete', recorded: true });
  });

  it('sends a batch refused as a whole (413) again as single calls, each recorded', async () => {
    herald.refuseBatchesOver = 1;
    const ids = Array.from({ length: 6 }, () => herald.add('job'));
    const gate = deferred();
    newWorker({ concurrency: 6 }).handle('job', async () => gate.promise);
    await worker!.start();
    await eventually(
      () => worker!.running,
      (n) => n === 6,
      { what: 'all 6 running' },
    );
    gate.resolve();
    await eventually(
      () => ids.map((id) => herald.task(id).status),
      (s) => s.every((x) => x === 'completed'),
      { what: 'all completed' },
    );
    const completes = herald.calls.filter((c) => c.action === 'complete');
    expect(completes.some((c) => c.via === 'single')).toBe(true);
  });

  it('reports one call per task to a Herald without the batch endpoint', async () => {
    herald.batchReports = false;
    const ids = [herald.add('job'), herald.add('job'), herald.add('job')];
    newWorker({ concurrency: 3 }).handle('job', async () => 'ok');
    await worker!.start();

    await eventually(
      () => ids.map((id) => herald.task(id).status),
      (s) => s.every((x) => x === 'completed'),
      { what: 'all completed' },
    );
    expect(herald.calls.filter((c) => c.action === 'complete').map((c) => c.via)).toEqual(['single', 'single', 'single']);
  });

  it('backs off and logs while Herald is unreachable, then carries on', async () => {
    const warnings: string[] = [];
    const logger: WorkerLogger = { info: () => undefined, error: () => undefined, warn: (message) => void warnings.push(message) };
    let refusals = 3;
    const flakyFetch: typeof fetch = (input, init) => (refusals-- > 0 ? Promise.reject(new TypeError('fetch failed')) : fetch(input, init));
    const taskId = herald.add('job');
    newWorker({ logger, fetch: flakyFetch, backoff: { baseMs: 20, maxMs: 80 } }).handle('job', async () => 'done');
    await worker!.start();

    await eventually(
      () => herald.task(taskId).status,
      (s) => s === 'completed',
      { what: 'task completed after the outage' },
    );
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toMatch(/^leasing failed; retrying in \d+ ms$/);
  });
});
