/**
 * Tasks that are due and waiting for a worker, by type: what the lease
 * endpoint hands out. The aggregate stays the judge — taking a task from the
 * queue only makes it a candidate; the lease is granted by a LeaseTask
 * command at the stream's revision, so a stale or duplicate entry costs a
 * refused lease, never a task run twice. Adapters: in-memory/ (embedded);
 * all pass contract/task-queue.contract.ts.
 */
export const TASK_QUEUE = Symbol('TASK_QUEUE');

export interface ReadyTask {
  readonly taskId: string;
  readonly type: string;
  /** 0-9: higher is handed out first. */
  readonly priority: number;
  /** ISO-8601: among equal priorities the oldest goes first. */
  readonly enqueuedAt: string;
}

export interface TaskQueue {
  /** Makes tasks available to workers of their type; a task already waiting is not added twice. */
  offer(tasks: readonly ReadyTask[]): Promise<void>;
  /**
   * Removes and returns up to `max` waiting tasks of these types, highest
   * priority first, then oldest. Waits up to `waitMs` for the first one and
   * returns as soon as there is any; [] when none came or `signal` aborted.
   */
  take(types: readonly string[], max: number, waitMs: number, signal?: AbortSignal): Promise<ReadyTask[]>;
  /** Tasks waiting, per type. */
  depth(): Promise<Record<string, number>>;
  close(): Promise<void>;
}
