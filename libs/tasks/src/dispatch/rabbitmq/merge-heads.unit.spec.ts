import { ReadyTask } from '../task-queue.port';
import { mergeHeads } from './merge-heads';
import { OfferedRecently } from './offered-recently';

const task = (taskId: string, type: string, priority: number, enqueuedAt = '2026-11-23T09:00:00.000Z'): ReadyTask => ({
  taskId,
  type,
  priority,
  enqueuedAt,
});

/** Fake per-type queues, already in their best-first order, counting the fetches. */
function queues(byType: Record<string, ReadyTask[]>) {
  const fetches: string[] = [];
  const next = async (type: string) => {
    fetches.push(type);
    const head = byType[type]?.shift();
    return head ? { task: head } : null;
  };
  return { next, fetches };
}

describe('mergeHeads: the best tasks across per-type priority queues', () => {
  it('takes across types by priority, then age', async () => {
    const { next } = queues({
      a: [task('a9', 'a', 9), task('a1', 'a', 1)],
      b: [task('b5', 'b', 5), task('b1old', 'b', 1, '2026-11-23T08:00:00.000Z')],
    });
    const { taken, leftover } = await mergeHeads(['a', 'b'], 3, next);
    expect(taken.map((h) => h.task.taskId)).toEqual(['a9', 'b5', 'b1old']);
    expect(leftover.map((h) => h.task.taskId)).toEqual(['a1']);
  });

  it('puts back at most one head per other type, and none for a single type', async () => {
    const single = queues({ a: [task('1', 'a', 0), task('2', 'a', 0), task('3', 'a', 0)] });
    expect(await mergeHeads(['a'], 2, single.next)).toEqual({ taken: [{ task: task('1', 'a', 0) }, { task: task('2', 'a', 0) }], leftover: [] });
    expect(single.fetches).toEqual(['a', 'a']);

    const three = queues({ a: [task('a', 'a', 1)], b: [task('b', 'b', 2)], c: [task('c', 'c', 3)] });
    const { taken, leftover } = await mergeHeads(['a', 'b', 'c'], 1, three.next);
    expect(taken.map((h) => h.task.taskId)).toEqual(['c']);
    expect(leftover.map((h) => h.task.taskId).sort()).toEqual(['a', 'b']);
  });

  it('stops at empty queues, asks each type once however often it is listed, and fetches nothing for max 0', async () => {
    const q = queues({ a: [task('1', 'a', 0)] });
    expect((await mergeHeads(['a', 'a', 'b'], 5, q.next)).taken).toHaveLength(1);
    expect(q.fetches).toEqual(['a', 'b', 'a']);
    const none = queues({ a: [task('1', 'a', 0)] });
    expect(await mergeHeads(['a'], 0, none.next)).toEqual({ taken: [], leftover: [] });
    expect(none.fetches).toEqual([]);
  });
});

describe('OfferedRecently: skipping a re-offer of the same queuing', () => {
  it('skips a queuing offered before and not taken since, and duplicates within one offer', () => {
    const memory = new OfferedRecently();
    const a = task('a', 't', 0);
    expect(memory.unseen([a, a])).toEqual([a]);
    memory.remember([a]);
    expect(memory.unseen([a])).toEqual([]);
    memory.forget(a);
    expect(memory.unseen([a])).toEqual([a]);
  });

  it('lets a later queuing of the same task through (a retry another process took and failed)', () => {
    const memory = new OfferedRecently();
    memory.remember([task('a', 't', 0, '2026-11-23T09:00:00.000Z')]);
    const retry = task('a', 't', 0, '2026-11-23T09:00:05.000Z');
    expect(memory.unseen([retry])).toEqual([retry]);
  });

  it('forgets the oldest beyond its capacity', () => {
    const memory = new OfferedRecently(2);
    const [a, b, c] = ['a', 'b', 'c'].map((id) => task(id, 't', 0));
    memory.remember([a, b, c]);
    expect(memory.unseen([a, b, c])).toEqual([a]);
  });
});
