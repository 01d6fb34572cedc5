import { eventually } from '@herald/testing';
import { RunningHerald, call, removeDataDir, startHerald } from '../support/herald';
import { RawWorker } from '../support/raw-worker';
import { embeddedStack, rawWorkersCompeteForTasks } from '../support/tasks-stack';

/** Tasks end to end on the all-in-one app, with workers speaking the HTTP lease protocol by hand. */
describe('tasks end to end (all-in-one, SQLite, raw HTTP workers)', () => {
  let herald: RunningHerald;
  let a: RawWorker;
  let b: RawWorker;
  let typeSeq = 0;
  /** A task type of its own per test, so no test sees another's tasks. */
  const freshType = () => `e2e.type-${++typeSeq}`;

  beforeAll(async () => {
    herald = await startHerald({ RETRY_BASE_DELAY_MS: '50', RETRY_MAX_DELAY_MS: '200' });
    a = new RawWorker(herald.url, 'worker-a');
    b = new RawWorker(herald.url, 'worker-b');
  });
  afterAll(async () => {
    await herald.close();
    removeDataDir(herald.dataDir);
  });

  const enqueue = (body: Record<string, unknown>) => call(`${herald.url}/api/v1/tasks`, { method: 'POST', json: body });
  const task = (id: string) => call(`${herald.url}/api/v1/tasks/${id}`);
  const act = (id: string, action: string, body?: Record<string, unknown>) =>
    call(`${herald.url}/api/v1/tasks/${id}/${action}`, { method: 'POST', json: body });
  const settled = (id: string, status: string) =>
    eventually(
      () => task(id),
      (r) => r.status === 200 && r.body.status === status,
      { what: `task ${id} ${status}` },
    );
  const eventTypes = async (id: string) => ((await call(`${herald.url}/api/v1/tasks/${id}/events`)).body as { type: string }[]).map((e) => e.type);

  it('accepts a task with 202, Location and Retry-After, and shows it on the read side', async () => {
    const type = freshType();
    const r = await enqueue({ type, params: { pages: 3 }, owner: 'alice', tags: ['nightly'], priority: 4 });
    expect(r.status).toBe(202);
    expect(r.headers.get('location')).toBe(`/api/v1/tasks/${r.body.id}`);
    expect(r.headers.get('retry-after')).toBe('1');
    expect(r.body).toMatchObject({
      type,
      params: { pages: 3 },
      owner: 'alice',
      tags: ['nightly'],
      priority: 4,
      status: 'Queued',
      attempt: 0,
      maxAttempts: 3,
    });
    const listed = await eventually(
      () => call(`${herald.url}/api/v1/tasks?owner=alice&tag=nightly&status=Queued,Running`),
      (l) => l.body.items.length === 1,
    );
    expect(listed.body.items[0].id).toBe(r.body.id);
  });

  it('runs 500 tasks with two competing workers, each completed exactly once', async () => {
    await rawWorkersCompeteForTasks(embeddedStack(herald), freshType(), 500);
  });

  it('pauses a running task; a different worker resumes it from the saved checkpoint', async () => {
    const type = freshType();
    const id = (await enqueue({ type })).body.id;
    const first = await a.leaseOne(type);
    expect((await a.report(first.token, 'heartbeat', { progress: { percent: 40 }, checkpoint: { page: 4 } })).status).toBe(200);
    const pausing = await act(id, 'pause', { reason: 'maintenance' });
    expect([pausing.status, pausing.body.status]).toEqual([202, 'Pausing']);
    const answer = await a.report(first.token, 'heartbeat', {});
    expect(answer.body).toMatchObject({ pauseRequested: true, cancelRequested: false });
    expect((await a.report(first.token, 'release', { checkpoint: { page: 5 } })).body.status).toBe('Paused');
    expect((await act(id, 'resume')).body.status).toBe('Queued');
    const second = await b.leaseOne(type);
    expect(second).toMatchObject({ taskId: id, checkpoint: { page: 5 }, attempt: 1 });
    expect((await b.report(second.token, 'complete', { result: { ok: true } })).status).toBe(200);
    // The first worker's token no longer holds the task: fenced.
    const late = await a.report(first.token, 'complete', {});
    expect([late.status, late.body.code]).toEqual([409, 'LeaseLost']);
    await settled(id, 'Completed');
  });

  it('cancels a running task once its worker acknowledges', async () => {
    const type = freshType();
    const id = (await enqueue({ type })).body.id;
    const lease = await a.leaseOne(type);
    expect((await act(id, 'cancel', { reason: 'not needed' })).body.status).toBe('Cancelling');
    expect((await a.report(lease.token, 'heartbeat', {})).body).toMatchObject({ cancelRequested: true });
    expect((await a.report(lease.token, 'release', {})).body.status).toBe('Cancelled');
    const again = await act(id, 'cancel');
    expect([again.status, again.body.code]).toEqual([409, 'TaskStateConflict']);
  });

  it('lets a silent lease lapse: the task is queued again with its checkpoint, and the dead lease is fenced', async () => {
    const type = freshType();
    const id = (await enqueue({ type, heartbeatTimeoutMs: 1_000 })).body.id;
    const dead = await a.leaseOne(type);
    await a.report(dead.token, 'heartbeat', { checkpoint: { step: 2 } });
    const next = await b.leaseOne(type, 10_000); // offered again once the lapse is recorded
    expect(next).toMatchObject({ taskId: id, attempt: 2, checkpoint: { step: 2 } });
    const late = await a.report(dead.token, 'complete', {});
    expect([late.status, late.body.code]).toEqual([409, 'LeaseLost']);
    expect(await eventTypes(id)).toContain('TaskLeaseLapsed');
  });

  it('shows the latest progress on the read side within a second, though the worker went quiet right after coalesced progress', async () => {
    const type = freshType();
    const id = (await enqueue({ type })).body.id;
    const lease = await a.leaseOne(type);
    expect((await a.report(lease.token, 'heartbeat', { progress: { percent: 10 } })).status).toBe(200);
    expect((await a.report(lease.token, 'heartbeat', { progress: { percent: 20 } })).status).toBe(200); // coalesced away at first
    // Nothing more from the worker (its next heartbeat would be many seconds away): Herald records 20 when the second ends.
    const shown = await eventually(
      () => task(id),
      (r) => r.status === 200 && (r.body.progress as { percent: number } | null)?.percent === 20,
      { timeoutMs: 3_000, what: 'progress 20 on the read side' },
    );
    expect(shown.body).toMatchObject({ status: 'Running', progress: { percent: 20 } });
  });

  it('retries a failing task with backoff, fails it when attempts run out, and retriggers it', async () => {
    const type = freshType();
    const id = (await enqueue({ type, maxAttempts: 2 })).body.id;
    const first = await a.leaseOne(type);
    expect((await a.report(first.token, 'fail', { error: 'upstream 503' })).body.status).toBe('Queued');
    const second = await a.leaseOne(type);
    expect(second.attempt).toBe(2);
    expect((await a.report(second.token, 'fail', { error: 'upstream 503 again' })).body.status).toBe('Failed');
    const failed = await settled(id, 'Failed');
    expect(failed.body.error).toBe('upstream 503 again');
    const status = await call(`${herald.url}/api/v1/tasks/${id}/status`);
    expect([status.status, status.body.status, status.headers.get('retry-after')]).toEqual([200, 'Failed', null]);
    expect((await act(id, 'retrigger', { fromCheckpoint: false })).body).toMatchObject({ status: 'Queued', attempt: 0 });
    const third = await b.leaseOne(type);
    expect(third.attempt).toBe(1);
    expect((await b.report(third.token, 'fail', { error: 'bad input', retryable: false })).body.status).toBe('Failed');
  });

  it('answers status polls with Retry-After, then 303 to the result once completed', async () => {
    const type = freshType();
    const id = (await enqueue({ type })).body.id;
    await settled(id, 'Queued');
    const waiting = await call(`${herald.url}/api/v1/tasks/${id}/status`);
    expect([waiting.status, waiting.body.status, waiting.headers.get('retry-after')]).toEqual([200, 'Queued', '1']);
    expect((await call(`${herald.url}/api/v1/tasks/${id}/result`)).status).toBe(409);
    const lease = await a.leaseOne(type);
    await a.report(lease.token, 'complete', { result: 'a plain string' });
    await settled(id, 'Completed');
    const done = await fetch(`${herald.url}/api/v1/tasks/${id}/status`, { redirect: 'manual' });
    expect([done.status, done.headers.get('location')]).toEqual([303, `/api/v1/tasks/${id}/result`]);
    const result = await call(`${herald.url}/api/v1/tasks/${id}/result`);
    expect([result.status, result.body]).toEqual([200, 'a plain string']);
  });

  it('answers a report repeated after a lost response as applied, not as a lost lease', async () => {
    const type = freshType();
    const id = (await enqueue({ type })).body.id;
    const lease = await a.leaseOne(type);
    const first = await a.report(lease.token, 'complete', { result: 1 });
    const repeat = await a.report(lease.token, 'complete', { result: 1 });
    expect([first.status, repeat.status, repeat.body.status]).toEqual([200, 200, 'Completed']);
    expect((await eventTypes(id)).filter((t) => t === 'TaskCompleted')).toHaveLength(1);
  });

  it('settles several leases in one batch, each answered as its single call would be, and mixes with single calls', async () => {
    const type = freshType();
    const [done, broken, parked] = [
      (await enqueue({ type })).body.id,
      (await enqueue({ type, maxAttempts: 1 })).body.id,
      (await enqueue({ type })).body.id,
    ];
    const leases = await a.lease([type], { max: 3, waitMs: 2_000 });
    const token = (id: string) => leases.find((l) => l.taskId === id)!.token;
    const lost = `${done}.not-the-lease`;
    const reports = [
      { token: token(done), outcome: 'complete', result: { rows: 7 } },
      { token: token(broken), outcome: 'fail', error: 'bad input file', retryable: false },
      { token: token(parked), outcome: 'release', checkpoint: { page: 2 } },
      { token: lost, outcome: 'complete' },
    ];
    const r = await a.reportBatch(reports);
    expect(r.status).toBe(200);
    expect(r.body.results).toEqual([
      { token: token(done), ok: true, taskId: done, status: 'Completed' },
      { token: token(broken), ok: true, taskId: broken, status: 'Failed' },
      { token: token(parked), ok: true, taskId: parked, status: 'Queued' },
      { token: lost, ok: false, statusCode: 409, code: 'LeaseLost', message: expect.stringMatching(/lease/) },
    ]);
    // The same report again, in a batch and as a single call: recognised as recorded, nothing appended twice.
    const again = await a.reportBatch([reports[0]]);
    const single = await a.report(token(done), 'complete', { result: { rows: 7 } });
    expect([again.body.results[0].ok, single.status]).toEqual([true, 200]);
    expect((await eventTypes(done)).filter((t) => t === 'TaskCompleted')).toHaveLength(1);
    expect((await settled(parked, 'Queued')).body.checkpoint).toEqual({ page: 2 });
    expect((await settled(broken, 'Failed')).body.error).toBe('bad input file');
    expect((await settled(done, 'Completed')).body.result).toEqual({ rows: 7 });
  });

  it('hands out higher priority first, then the longest waiting', async () => {
    const type = freshType();
    const low = (await enqueue({ type, priority: 0 })).body.id;
    const high = (await enqueue({ type, priority: 9 })).body.id;
    const mid = (await enqueue({ type, priority: 5 })).body.id;
    // All three offered to workers before any is leased (/health shows the queue's depth per type).
    await eventually(
      () => call(`${herald.url}/health`),
      (r) => r.body.info['task-queue'].waiting[type] === 3,
      { what: '3 tasks waiting' },
    );
    const leases = await a.lease([type], { max: 3, waitMs: 2_000 });
    expect(leases.map((l) => l.taskId)).toEqual([high, mid, low]);
  });

  it('answers 404 for unknown tasks and 409 naming the state for actions it does not allow', async () => {
    const unknown = '9d1e3a52-4e0b-4b8a-9a43-0c5e5d0c1f00';
    for (const path of [unknown, `${unknown}/status`, `${unknown}/result`, `${unknown}/events`]) {
      const r = await call(`${herald.url}/api/v1/tasks/${path}`);
      expect([r.status, r.body.code]).toEqual([404, 'TaskNotFound']);
    }
    expect((await act(unknown, 'pause')).status).toBe(404);
    const id = (await enqueue({ type: freshType() })).body.id;
    const resume = await act(id, 'resume');
    expect(resume.status).toBe(409);
    expect(resume.body.message).toMatch(/Queued/);
  });
});
