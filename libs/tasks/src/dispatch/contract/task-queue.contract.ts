import { randomUUID } from 'node:crypto';
import { ReadyTask, TaskQueue } from '../task-queue.port';

/** Every TaskQueue adapter passes this; `open` must hand out an empty queue. Types are unique per test. */
export function taskQueueContract(name: string, open: () => Promise<{ queue: TaskQueue; close(): Promise<void> }>) {
  describe(`TaskQueue contract: ${name}`, () => {
    let queue: TaskQueue;
    let close: () => Promise<void>;
    let type: string;
    beforeEach(async () => {
      ({ queue, close } = await open());
      type = `t.${randomUUID().slice(0, 8)}`;
    });
    afterEach(() => close());
    const ready = (priority = 0, enqueuedAt = '2026-11-23T09:00:00.000Z', t = type): ReadyTask => ({
      taskId: randomUUID(),
      type: t,
      priority,
      enqueuedAt,
    });

    it('hands out the highest priority first, then the oldest', async () => {
      const low = ready(0, '2026-11-23T09:00:00.000Z');
      const highNew = ready(5, '2026-11-23T09:00:02.000Z');
      const highOld = ready(5, '2026-11-23T09:00:01.000Z');
      await queue.offer([low, highNew, highOld]);
      expect(await queue.take([type], 10, 0)).toEqual([highOld, highNew, low]);
      expect(await queue.take([type], 10, 0)).toEqual([]);
    });

    it('hands out at most `max`, only of the asked types, across them by priority', async () => {
      const other = `${type}.other`;
      const a = ready(1);
      const b = ready(3, undefined, other);
      const c = ready(0, undefined, `${type}.unasked`);
      await queue.offer([a, b, c]);
      expect(await queue.take([type, other], 1, 0)).toEqual([b]);
      expect(await queue.take([type, other], 5, 0)).toEqual([a]);
      expect(await queue.depth()).toEqual({ [`${type}.unasked`]: 1 });
    });

    it('does not add a task that is already waiting', async () => {
      const a = ready();
      await queue.offer([a]);
      await queue.offer([a]);
      expect(await queue.take([type], 10, 0)).toEqual([a]);
    });

    it('wakes a waiting taker as soon as a task is offered', async () => {
      const waiting = queue.take([type], 2, 10_000);
      const a = ready();
      await queue.offer([a]);
      expect(await waiting).toEqual([a]);
    });

    it('answers [] when the wait ends empty, or the signal aborts', async () => {
      expect(await queue.take([type], 1, 20)).toEqual([]);
      const abort = new AbortController();
      const waiting = queue.take([type], 1, 10_000, abort.signal);
      abort.abort();
      expect(await waiting).toEqual([]);
      // The aborted taker took nothing: an offer after it stays for the next taker.
      const a = ready();
      await queue.offer([a]);
      expect(await queue.take([type], 1, 0)).toEqual([a]);
    });

    it('puts back a task its taker never tried, for the next taker', async () => {
      const a = ready();
      await queue.offer([a]);
      const taken = await queue.take([type], 1, 0);
      await queue.settle([], taken);
      expect(await queue.take([type], 1, 0)).toEqual([a]);
    });

    it('does not hand out again a task whose lease was decided', async () => {
      const a = ready();
      await queue.offer([a]);
      await queue.settle(await queue.take([type], 1, 0));
      expect(await queue.take([type], 1, 0)).toEqual([]);
    });

    it('gives each task to one of two competing takers', async () => {
      const first = queue.take([type], 1, 10_000);
      const second = queue.take([type], 1, 10_000);
      const [a, b] = [ready(), ready()];
      await queue.offer([a, b]);
      const got = [...(await first), ...(await second)].map((t) => t.taskId).sort();
      expect(got).toEqual([a.taskId, b.taskId].sort());
    });
  });
}
