import { ReadyTask } from '../task-queue.port';

/** One queuing of a task: every return to Queued (retry, release, lapse, resume) sets a new runAt, hence a new enqueuedAt. */
const queuing = (task: ReadyTask) => `${task.taskId}@${task.enqueuedAt}`;

/**
 * The broker cannot tell that a task is already waiting, so this process
 * remembers what it offered and has not taken back itself, and skips an
 * immediate re-offer (the same due entry delivered again). Across processes,
 * or once forgotten, duplicates do reach the queue; they are harmless: the
 * second LeaseTask is refused by the task's stream and its message settled.
 *
 * Keyed by queuing, not by taskId alone: the process that offers (the
 * task-starts consumer) is often not the one that takes, so it never hears
 * that the task was taken, leased, failed and queued again; a bare taskId
 * would then swallow the retry's offer and strand the task. Bounded: the
 * oldest entries are forgotten first.
 */
export class OfferedRecently {
  private readonly keys = new Set<string>();

  constructor(private readonly capacity = 10_000) {}

  /** The tasks of `tasks` not offered recently, each queuing once. */
  unseen(tasks: readonly ReadyTask[]): ReadyTask[] {
    const batch = new Set<string>();
    return tasks.filter((task) => {
      const key = queuing(task);
      if (this.keys.has(key) || batch.has(key)) return false;
      batch.add(key);
      return true;
    });
  }

  remember(tasks: readonly ReadyTask[]): void {
    for (const task of tasks) this.keys.add(queuing(task));
    // A Set iterates in insertion order: the first keys are the oldest.
    for (const key of this.keys) {
      if (this.keys.size <= this.capacity) break;
      this.keys.delete(key);
    }
  }

  forget(task: ReadyTask): void {
    this.keys.delete(queuing(task));
  }
}
