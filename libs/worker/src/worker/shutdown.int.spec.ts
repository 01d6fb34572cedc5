import { eventually } from '@herald/testing';
import { FakeHerald, startFakeHerald, whenAborted } from '../testing/fake-herald.int-helpers';
import { abortReason, TaskAbortReason } from '../task/task-context';
import { HeraldWorker } from './herald-worker';

describe('HeraldWorker.stop()', () => {
  let herald: FakeHerald;

  beforeEach(async () => {
    herald = await startFakeHerald();
  });

  afterEach(async () => {
    await herald.close();
  });

  it('aborts running handlers with shutdown, releases their leases with the last checkpoint, and waits for them', async () => {
    const pollWaitMs = 20_000;
    const worker = new HeraldWorker({ url: herald.url, concurrency: 4, pollWaitMs, heartbeatIntervalMs: 50, logger: false });
    const saving = herald.add('job', { n: 1 });
    const fresh = herald.add('job', { n: 2 });
    const reasons: TaskAbortReason[] = [];
    let handlersSettled = 0;
    worker.handle<{ n: number }>('job', async (ctx) => {
      if (ctx.params.n === 1) await ctx.checkpoint({ page: 7 });
      await whenAborted(ctx.signal);
      reasons.push(abortReason(ctx.signal)!);
      handlersSettled++;
      return 'partial';
    });
    await worker.start();
    await eventually(
      () => herald.task(saving).checkpoint,
      (c) => c !== null,
      { what: 'checkpoint saved' },
    );
    // The worker still has free slots, so it is now holding a long poll open.
    await eventually(
      () => herald.leaseCalls.length,
      (n) => n >= 2,
      { what: 'a second long poll' },
    );

    const stoppingAt = Date.now();
    await worker.stop();

    expect(Date.now() - stoppingAt).toBeLessThan(pollWaitMs); // the long poll was abandoned, not waited out
    expect(handlersSettled).toBe(2);
    expect(reasons).toEqual([{ kind: 'shutdown' }, { kind: 'shutdown' }]);
    expect(herald.callsFor(saving, 'release').map((c) => c.body)).toEqual([{ checkpoint: { page: 7 } }]);
    expect(herald.callsFor(fresh, 'release').map((c) => c.body)).toEqual([{}]);
    expect(herald.calls.filter((c) => c.action === 'complete' || c.action === 'fail')).toEqual([]);
    expect(worker.running).toBe(0);
  });

  it('is idempotent and can be called before any task arrived', async () => {
    const worker = new HeraldWorker({ url: herald.url, pollWaitMs: 20_000, logger: false }).handle('job', async () => 'x');
    await worker.start();
    await eventually(
      () => herald.leaseCalls.length,
      (n) => n === 1,
    );
    await Promise.all([worker.stop(), worker.stop()]);
    await expect(worker.start()).rejects.toThrow('starts once');
  });
});
