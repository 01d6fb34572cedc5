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
   * Hands out up to `max` waiting tasks of these types, highest priority
   * first, then oldest, each to one taker only. Waits up to `waitMs` for the
   * first one and returns as soon as there is any; [] when none came or
   * `signal` aborted. The taker must `settle` each task once its lease was
   * decided (granted or refused); a durable queue gives unsettled tasks to
   * another taker if this one dies first.
   */
  take(types: readonly string[], max: number, waitMs: number, signal?: AbortSignal): Promise<ReadyTask[]>;
  /** Forgets tasks handed out by take() whose lease was decided, and puts back those never tried (their taker went away). */
  settle(decided: readonly ReadyTask[], untried?: readonly ReadyTask[]): Promise<void>;
  /** Tasks waiting, per type. */
  depth(): Promise<Record<string, number>>;
  close(): Promise<void>;
}
