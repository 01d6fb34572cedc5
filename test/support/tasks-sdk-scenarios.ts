import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from '@herald/testing';
import { ExampleApp } from './example-app';
import { call } from './herald';
import { TaskStack, TaskStackTarget, allCompletedOnTheReadSide, enqueueMany, notCompletedOnce } from './tasks-stack';

/** The one task type the example app's workers handle. */
export const REPORT_EXPORT = 'report.export';

/** Fast retries, so a failing task reaches Failed within a test. */
const STACK_ENV = { RETRY_BASE_DELAY_MS: '50', RETRY_MAX_DELAY_MS: '200' };

/**
 * A fresh stack per test, the example app's processes started against it
 * (stopped after the test), and the task calls the scenarios make.
 */
export class ExampleAppHarness {
  private starting: Promise<TaskStack> | null = null;
  private current: TaskStack | null = null;
  private readonly apps: ExampleApp[] = [];

  constructor(readonly target: TaskStackTarget) {}

  get stack(): TaskStack {
    if (!this.current) throw new Error('no stack: the harness starts one before each test');
    return this.current;
  }

  async setUp(): Promise<void> {
    this.starting = this.target.start(STACK_ENV);
    this.current = await this.starting;
  }

  /** Stops the apps and the stack, even one whose start outlasted its hook's timeout. */
  async tearDown(): Promise<void> {
    await Promise.all(this.apps.splice(0).map((a) => a.stop()));
    const starting = this.starting;
    this.starting = this.current = null;
    const stack = await starting?.catch(() => null);
    await stack?.stop();
  }

  /** The example app in either mode, talking to the stack's command side. */
  async start(mode: 'api' | 'worker', env: Record<string, string> = {}): Promise<ExampleApp> {
    const app = new ExampleApp(mode, { HERALD_URL: this.stack.writeUrl, ...env });
    this.apps.push(app);
    return app.start();
  }

  /** An example worker process: the worker SDK handling `report.export`. */
  worker(id: string, concurrency = 4): Promise<ExampleApp> {
    return this.start('worker', { WORKER_ID: id, WORKER_CONCURRENCY: String(concurrency) });
  }

  async enqueue(params: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<string> {
    const r = await call(`${this.stack.writeUrl}/api/v1/tasks`, { method: 'POST', json: { type: REPORT_EXPORT, params, ...extra } });
    if (r.status !== 202) throw new Error(`enqueue: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.id as string;
  }

  async task(id: string): Promise<Record<string, any>> {
    return (await call(`${this.stack.readUrl}/api/v1/tasks/${id}`)).body;
  }

  /** Waits until the task's view (read side) satisfies `accept`. */
  until(id: string, accept: (t: Record<string, any>) => boolean, what: string, timeoutMs = 15_000) {
    return this.stack.explain(() =>
      eventually(
        () => this.task(id),
        (t) => t !== null && accept(t),
        { what: `task ${id}: ${what}`, timeoutMs },
      ),
    );
  }

  act(id: string, action: string) {
    return call(`${this.stack.writeUrl}/api/v1/tasks/${id}/${action}`, { method: 'POST' });
  }
}

/**
 * Real worker processes running the SDK (the example app in worker mode)
 * against a stack of `target`'s kind: competing, paused and resumed
 * elsewhere, cancelled, killed mid-task, failing and retriggered. Each test
 * gets a stack of its own, because the workers only know one task type:
 * no test may meet another's tasks. Answers the harness, for a file's own
 * tests of the same kind.
 */
export function exampleWorkerScenarios(target: TaskStackTarget): ExampleAppHarness {
  const h = new ExampleAppHarness(target);
  const testTimeoutMs = 60_000;
  beforeEach(() => h.setUp(), target.startTimeoutMs);
  afterEach(() => h.tearDown(), target.startTimeoutMs); // may wait for a start that outlasted its hook

  it(
    'has two worker processes run 500 tasks, each completed exactly once',
    async () => {
      const ids = await enqueueMany(h.stack.writeUrl, 500, (i) => ({ type: REPORT_EXPORT, params: { month: `m${i}`, pages: 0 } }));
      await Promise.all([h.worker('w-a', 8), h.worker('w-b', 8)]);
      await allCompletedOnTheReadSide(h.stack, REPORT_EXPORT, 500, 60_000);
      expect(notCompletedOnce(h.stack, ids)).toEqual([]);
      const builders = new Set(
        ids.map((id) => (h.stack.streamEvents(`task-${id}`).find((e) => e.type === 'TaskCompleted')!.data.result as { builtBy: string }).builtBy),
      );
      expect([...builders].sort()).toEqual(['w-a', 'w-b']); // both competed
    },
    testTimeoutMs + 60_000,
  );

  it(
    'pauses a running task; a different worker process resumes it from the saved checkpoint',
    async () => {
      const first = await h.worker('w-first');
      const id = await h.enqueue({ month: '2026-09', pages: 40, pageMs: 50 }, { heartbeatTimeoutMs: 1_500 });
      await h.until(id, (t) => (t.checkpoint?.page ?? 0) >= 3, 'past page 3');
      expect((await h.act(id, 'pause')).body.status).toBe('Pausing');
      const paused = await h.until(id, (t) => t.status === 'Paused', 'paused by its worker');
      const savedPage = paused.checkpoint.page as number;
      expect(savedPage).toBeLessThan(40); // stopped part-way, not finished
      await first.stop();
      await h.worker('w-second');
      expect((await h.act(id, 'resume')).body.status).toBe('Queued');
      const done = await h.until(id, (t) => t.status === 'Completed', 'completed');
      expect(done.result).toMatchObject({ firstPage: savedPage, builtBy: 'w-second' });
      expect(first.output.join('')).toMatch(/stopped at page \d+ \(paused\)/);
    },
    testTimeoutMs,
  );

  it(
    'cancels a running task: its signal fires in the worker process and it ends Cancelled',
    async () => {
      const w = await h.worker('w-cancel');
      const id = await h.enqueue({ month: '2026-08', pages: 100, pageMs: 50 }, { heartbeatTimeoutMs: 1_500 });
      await h.until(id, (t) => (t.checkpoint?.page ?? 0) >= 2, 'past page 2');
      expect((await h.act(id, 'cancel')).body.status).toBe('Cancelling');
      await h.until(id, (t) => t.status === 'Cancelled', 'cancelled');
      await eventually(
        () => w.output.join(''),
        (out) => new RegExp(`report ${id}: stopped at page \\d+ \\(cancelled\\)`).test(out),
        { what: 'the handler saw its signal' },
      );
    },
    testTimeoutMs,
  );

  it(
    'resumes a task from its last checkpoint on another worker after its worker process is killed -9, and fences the dead lease',
    async () => {
      const doomed = await h.worker('w-doomed');
      const id = await h.enqueue({ month: '2026-07', pages: 40, pageMs: 50 }, { heartbeatTimeoutMs: 1_500 });
      const mid = await h.until(id, (t) => (t.checkpoint?.page ?? 0) >= 3, 'past page 3');
      await doomed.kill();
      const deadLease = h.stack
        .streamEvents(`task-${id}`)
        .filter((e) => e.type === 'TaskLeased')
        .pop()!.data;
      expect(deadLease.workerId).toBe('w-doomed');
      await h.worker('w-rescue');
      const done = await h.until(id, (t) => t.status === 'Completed', 'completed by the rescuer', 20_000);
      expect(done.attempt).toBe(2);
      expect((done.result as { firstPage: number }).firstPage).toBeGreaterThanOrEqual(mid.checkpoint.page as number);
      expect(done.result).toMatchObject({ builtBy: 'w-rescue' });
      expect(h.stack.streamEvents(`task-${id}`).map((e) => e.type)).toContain('TaskLeaseLapsed');
      const late = await call(`${h.stack.writeUrl}/api/v1/workers/leases/${deadLease.token as string}/complete`, {
        method: 'POST',
        json: { result: 'too late' },
      });
      expect([late.status, late.body.code]).toEqual([409, 'LeaseLost']);
      expect(notCompletedOnce(h.stack, [id])).toEqual([]); // the late complete appended nothing
    },
    testTimeoutMs,
  );

  it(
    'retries a failing task until it is Failed, then a retrigger runs it again',
    async () => {
      await h.worker('w-retry');
      const notReady = join(h.stack.dataDir, 'archive-not-ready');
      writeFileSync(notReady, '');
      const id = await h.enqueue({ month: '2026-06', pages: 1, failWhileFileExists: notReady }, { maxAttempts: 2 });
      const failed = await h.until(id, (t) => t.status === 'Failed', 'failed after 2 attempts');
      expect([failed.attempt, failed.error]).toEqual([2, 'the archive for 2026-06 is not ready yet']);
      rmSync(notReady);
      expect((await h.act(id, 'retrigger')).body.status).toBe('Queued');
      const done = await h.until(id, (t) => t.status === 'Completed', 'completed after the retrigger');
      expect(done.attempt).toBe(1);
    },
    testTimeoutMs,
  );

  return h;
}
