import { eventually } from '@herald/testing';
import { LeaseLostError } from '../errors';
import { FakeHerald, startFakeHerald, whenAborted } from '../testing/fake-herald.int-helpers';
import { HeraldWorker } from '../worker/herald-worker';
import { HeraldWorkerOptions } from '../worker/options';
import { abortReason, TaskAbortReason } from './task-context';

describe('a running task: heartbeats, progress, checkpoints and aborts', () => {
  const intervalMs = 50;
  let herald: FakeHerald;
  let worker: HeraldWorker | undefined;

  const newWorker = (options: Partial<HeraldWorkerOptions> = {}) =>
    (worker = new HeraldWorker({ url: herald.url, pollWaitMs: 1_000, heartbeatIntervalMs: intervalMs, logger: false, ...options }));

  beforeEach(async () => {
    herald = await startFakeHerald();
  });

  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
    await herald.close();
  });

  it('heartbeats by default every sixth of the lease timeout, so each lands well before the lease lapses', async () => {
    const timeoutMs = 1_200;
    await herald.close();
    herald = await startFakeHerald(timeoutMs);
    const taskId = herald.add('job');
    newWorker({ heartbeatIntervalMs: undefined }).handle('job', async (ctx) => {
      await eventually(
        () => herald.callsFor(ctx.taskId, 'heartbeat').length,
        (n) => n >= 3,
        { what: 'three heartbeats' },
      );
    });
    await worker!.start();

    await eventually(
      () => herald.task(taskId).status,
      (s) => s === 'completed',
    );
    const leasedAt = herald.leaseCalls[0].at;
    const times = [leasedAt, ...herald.callsFor(taskId, 'heartbeat').map((c) => c.at)];
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual((timeoutMs / 6) * 0.8); // not faster than the interval
      expect(gap).toBeLessThan(timeoutMs); // never long enough for the lease to lapse
    }
    expect(herald.callsFor(taskId, 'heartbeat')[0].body).toEqual({}); // nothing to report: a bare keep-alive
  });

  it('coalesces progress: many calls, at most one progress heartbeat per interval, the newest value delivered', async () => {
    const taskId = herald.add('job');
    let elapsedMs = 0;
    newWorker().handle('job', async (ctx) => {
      const started = Date.now();
      for (let percent = 1; percent <= 40; percent++) {
        await ctx.progress({ percent });
        await new Promise((r) => setTimeout(r, 5)); // simulated work between progress reports
      }
      elapsedMs = Date.now() - started;
      await eventually(
        () => herald.task(ctx.taskId).progress,
        (p) => (p as { percent: number })?.percent === 40,
        { what: 'last progress' },
      );
    });
    await worker!.start();

    await eventually(
      () => herald.task(taskId).status,
      (s) => s === 'completed',
    );
    const reported = herald
      .callsFor(taskId, 'heartbeat')
      .filter((c) => 'progress' in c.body)
      .map((c) => c.body.progress.percent as number);
    expect(reported.length).toBeGreaterThan(0);
    // One tick per interval while reporting, plus the one that carries the final value.
    expect(reported.length).toBeLessThanOrEqual(Math.floor(elapsedMs / intervalMs) + 2);
    expect(reported.length).toBeLessThan(40);
    expect(reported.at(-1)).toBe(40);
    expect([...reported].sort((a, b) => a - b)).toEqual(reported); // never an older value after a newer one
  });

  it('sends new progress within a second even when heartbeats are far apart', async () => {
    const taskId = herald.add('job');
    let release!: () => void;
    newWorker({ heartbeatIntervalMs: 60_000 }).handle('job', async (ctx) => {
      await ctx.progress({ percent: 50 });
      await new Promise<void>((resolve) => (release = resolve));
    });
    await worker!.start();
    const sent = await eventually(
      () => herald.callsFor(taskId, 'heartbeat'),
      (calls) => calls.length > 0,
      { what: 'a progress heartbeat', timeoutMs: 2_500 },
    );
    expect(sent[0].body).toEqual({ progress: { percent: 50 } });
    release();
  });

  it('resolves ctx.checkpoint() only after the heartbeat carrying it was answered', async () => {
    const hold = herald.holdHeartbeats();
    const taskId = herald.add('job');
    const events: string[] = [];
    newWorker({ heartbeatIntervalMs: 60_000 }).handle('job', async (ctx) => {
      await ctx.checkpoint({ page: 3 });
      events.push('checkpoint resolved');
    });
    await worker!.start();

    await eventually(
      () => herald.callsFor(taskId, 'heartbeat'),
      (calls) => calls.length === 1,
      { what: 'checkpoint heartbeat received' },
    );
    expect(herald.callsFor(taskId, 'heartbeat')[0].body).toEqual({ checkpoint: { page: 3 } });
    expect(events).toEqual([]); // the server has not answered, so the checkpoint is not durable yet
    hold.release();
    await eventually(
      () => herald.task(taskId).status,
      (s) => s === 'completed',
    );
    expect(events).toEqual(['checkpoint resolved']);
    expect(herald.task(taskId).checkpoint).toEqual({ page: 3 });
  });

  it.each([
    ['cancelled', (h: FakeHerald, id: string) => h.requestCancel(id)],
    ['paused', (h: FakeHerald, id: string) => h.requestPause(id)],
  ])('aborts the signal with kind %s when a heartbeat says so, and releases the lease with the last checkpoint', async (kind, request) => {
    const taskId = herald.add('job');
    let reason: TaskAbortReason | undefined;
    newWorker().handle('job', async (ctx) => {
      await ctx.checkpoint({ step: 1 });
      await whenAborted(ctx.signal);
      reason = abortReason(ctx.signal);
      await ctx.checkpoint({ step: 2 }); // saving where it stopped still works while winding down
      return 'finished anyway'; // a result after an abort is not a completion
    });
    await worker!.start();

    await eventually(
      () => herald.task(taskId).checkpoint,
      (c) => c !== null,
      { what: 'first checkpoint' },
    );
    request(herald, taskId);
    await eventually(
      () => herald.task(taskId).status,
      (s) => s === 'released',
      { what: 'lease released' },
    );
    expect(reason).toEqual({ kind });
    expect(herald.callsFor(taskId, 'release')[0].body).toEqual({ checkpoint: { step: 2 } });
    expect(herald.callsFor(taskId, 'complete')).toEqual([]);
    expect(herald.callsFor(taskId, 'fail')).toEqual([]);
  });

  it('releases a cancelled task even when its handler throws', async () => {
    const taskId = herald.add('job');
    newWorker().handle('job', async (ctx) => {
      await whenAborted(ctx.signal);
      throw new Error('aborted mid-way');
    });
    await worker!.start();

    await eventually(
      () => herald.callsFor(taskId, 'heartbeat').length,
      (n) => n > 0,
    );
    herald.requestCancel(taskId);
    await eventually(
      () => herald.task(taskId).status,
      (s) => s === 'released',
    );
    expect(herald.callsFor(taskId, 'release')[0].body).toEqual({});
    expect(herald.callsFor(taskId, 'fail')).toEqual([]);
  });

  it('aborts with lease-lost on a 409 LeaseLost and sends nothing more for that token', async () => {
    const taskId = herald.add('job');
    let reason: TaskAbortReason | undefined;
    let checkpointError: unknown;
    newWorker().handle('job', async (ctx) => {
      await whenAborted(ctx.signal);
      reason = abortReason(ctx.signal);
      await ctx.progress({ percent: 99 });
      checkpointError = await ctx.checkpoint({ page: 9 }).catch((e: unknown) => e);
      return 'too late';
    });
    await worker!.start();

    await eventually(
      () => herald.callsFor(taskId, 'heartbeat').length,
      (n) => n > 0,
    );
    herald.loseLease(taskId);
    await eventually(() => herald.callsFor(taskId).some((c) => c.status === 409), Boolean, { what: 'a 409 answer' });
    await eventually(
      () => worker!.running,
      (n) => n === 0,
      { what: 'the worker dropped the task' },
    );

    expect(reason).toEqual({ kind: 'lease-lost' });
    expect(checkpointError).toBeInstanceOf(LeaseLostError);
    const calls = herald.callsFor(taskId);
    expect(calls.at(-1)!.status).toBe(409); // the 409 was the last call for this token
    expect(calls.map((c) => c.action)).not.toContain('complete');
    expect(calls.map((c) => c.action)).not.toContain('release');
  });

  it('retries a checkpoint whose heartbeat failed on the next tick, not at once', async () => {
    const down = herald.failHeartbeats();
    const taskId = herald.add('job');
    newWorker({ heartbeatIntervalMs: 200 }).handle('job', async (ctx) => {
      await ctx.checkpoint({ page: 1 });
    });
    await worker!.start();

    const failed = await eventually(
      () => herald.callsFor(taskId, 'heartbeat'),
      (calls) => calls.length >= 3,
      { what: 'three failed heartbeats' },
    );
    const gaps = failed.slice(1, 3).map((c, i) => c.at - failed[i].at);
    down.restore(); // before asserting: a failed assertion must not leave the handler waiting on its checkpoint
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(200 * 0.8); // each retry waited for a tick
    await eventually(
      () => herald.task(taskId).status,
      (s) => s === 'completed',
      { what: 'completed once a heartbeat got through' },
    );
    expect(herald.task(taskId).checkpoint).toEqual({ page: 1 });
  });

  it('gives the lease up once no heartbeat was answered for its whole timeout: lease-lost, the waiting checkpoint rejects, nothing is reported', async () => {
    const timeoutMs = 1_000;
    await herald.close();
    herald = await startFakeHerald(timeoutMs);
    herald.failHeartbeats(); // Herald stays down for this lease: it lapses there, so the worker must not wait forever
    const taskId = herald.add('job');
    let reason: TaskAbortReason | undefined;
    let checkpointError: unknown;
    let gaveUpAt = 0;
    newWorker({ heartbeatIntervalMs: 100 }).handle('job', async (ctx) => {
      checkpointError = await ctx.checkpoint({ page: 1 }).catch((e: unknown) => e);
      gaveUpAt = Date.now();
      reason = abortReason(ctx.signal);
    });
    await worker!.start();

    await eventually(
      () => worker!.running,
      (n) => n === 0 && gaveUpAt > 0,
      { what: 'the worker gave the task up', timeoutMs: 10_000 },
    );
    expect(reason).toEqual({ kind: 'lease-lost' });
    expect(checkpointError).toBeInstanceOf(LeaseLostError);
    expect(gaveUpAt - herald.leaseCalls[0].at).toBeGreaterThanOrEqual(timeoutMs); // not before the lease could have lapsed
    expect(herald.callsFor(taskId).map((c) => c.action)).toEqual(herald.callsFor(taskId).map(() => 'heartbeat')); // no complete, fail or release
  });
});
