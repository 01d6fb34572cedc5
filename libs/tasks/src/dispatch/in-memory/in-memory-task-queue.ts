import { Heap } from 'heap-js';
import { ReadyTask, TaskQueue } from '../task-queue.port';

interface Waiter {
  readonly types: ReadonlySet<string>;
  readonly max: number;
  readonly resolve: (tasks: ReadyTask[]) => void;
}

/** Higher priority first, then oldest, then by id so the order is total. */
const before = (a: ReadyTask, b: ReadyTask) =>
  b.priority - a.priority || (a.enqueuedAt < b.enqueuedAt ? -1 : a.enqueuedAt > b.enqueuedAt ? 1 : a.taskId < b.taskId ? -1 : 1);

/**
 * One heap per type and a FIFO of long-polling workers. An offer goes
 * straight to the first waiting worker of its type, so pickup costs no poll
 * interval. Not durable: after a restart the scheduler's time index offers
 * every still-Queued task again.
 */
export class InMemoryTaskQueue implements TaskQueue {
  private readonly heaps = new Map<string, Heap<ReadyTask>>();
  private readonly waiting = new Set<string>();
  private waiters: Waiter[] = [];
  private closed = false;

  async offer(tasks: readonly ReadyTask[]): Promise<void> {
    for (const task of tasks) {
      if (this.waiting.has(task.taskId)) continue;
      this.waiting.add(task.taskId);
      this.heap(task.type).push(task);
    }
    this.serveWaiters();
  }

  async take(types: readonly string[], max: number, waitMs: number, signal?: AbortSignal): Promise<ReadyTask[]> {
    const now = this.pop(new Set(types), max);
    if (now.length > 0 || waitMs <= 0 || this.closed || signal?.aborted) return now;
    return new Promise((resolve) => {
      const waiter: Waiter = { types: new Set(types), max, resolve: (tasks) => finish(tasks) };
      const timer = setTimeout(() => finish([]), waitMs);
      const onAbort = () => finish([]);
      const finish = (tasks: ReadyTask[]) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(tasks);
      };
      signal?.addEventListener('abort', onAbort);
      this.waiters.push(waiter);
    });
  }

  /** A decided task is already gone from here (after a restart the time index offers a Queued one again); an untried one goes back. */
  async settle(_decided: readonly ReadyTask[], untried: readonly ReadyTask[] = []): Promise<void> {
    if (untried.length > 0) await this.offer(untried);
  }

  async depth(): Promise<Record<string, number>> {
    return Object.fromEntries([...this.heaps].filter(([, h]) => h.size() > 0).map(([type, h]) => [type, h.size()]));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of [...this.waiters]) waiter.resolve([]);
  }

  private heap(type: string): Heap<ReadyTask> {
    let heap = this.heaps.get(type);
    if (!heap) this.heaps.set(type, (heap = new Heap<ReadyTask>(before)));
    return heap;
  }

  /** Up to `max` of the best tasks across the asked types. */
  private pop(types: ReadonlySet<string>, max: number): ReadyTask[] {
    const taken: ReadyTask[] = [];
    while (taken.length < max) {
      let best: Heap<ReadyTask> | null = null;
      for (const type of types) {
        const heap = this.heaps.get(type);
        const top = heap?.peek();
        if (top && (!best || before(top, best.peek()!) < 0)) best = heap!;
      }
      if (!best) break;
      const task = best.pop()!;
      this.waiting.delete(task.taskId);
      taken.push(task);
    }
    return taken;
  }

  private serveWaiters(): void {
    for (const waiter of [...this.waiters]) {
      const tasks = this.pop(waiter.types, waiter.max);
      if (tasks.length > 0) waiter.resolve(tasks);
    }
  }
}
