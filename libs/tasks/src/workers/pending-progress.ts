import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { DomainError } from '@herald/kernel';
import { DefinedTask, PROGRESS_COALESCE_MS, sameJson } from '../domain';
import { TaskCommands } from '../commands/task-commands';

interface Pending {
  readonly taskId: string;
  readonly progress: unknown;
  /** The task's lastProgressAt when this progress was coalesced away: if it has moved by the flush, a later heartbeat recorded progress. */
  readonly after: string | null;
  readonly timer: NodeJS.Timeout;
}

/**
 * RecordHeartbeat records progress at most once per PROGRESS_COALESCE_MS and
 * drops what comes sooner: a worker that reports twice within a second and
 * then goes quiet would leave its latest progress unseen until its next
 * heartbeat (up to a heartbeat interval later). The protocol promises the
 * latest progress on the read side within a second, so the API keeps the
 * latest coalesced progress of each lease here and records it with one more
 * RecordHeartbeat when the window ends; newer progress replaces it, and it is
 * dropped when a heartbeat records progress first or the lease ends.
 *
 * Kept in memory only, on purpose: a crash (or a shutdown) loses just this
 * pending progress, never a checkpoint (always recorded at once), and the
 * worker's next heartbeat brings its progress again.
 */
@Injectable()
export class PendingProgress implements OnModuleDestroy {
  private readonly logger = new Logger('WorkerLeases');
  private readonly pending = new Map<string, Pending>();
  private closed = false;

  constructor(private readonly tasks: TaskCommands) {}

  /** Leases with progress waiting for its window to end, or being recorded. */
  get size(): number {
    return this.pending.size;
  }

  /** After a heartbeat of lease `token` reporting `progress` was decided; `state` is the task after it. */
  afterHeartbeat(token: string, progress: unknown, state: DefinedTask): void {
    if (progress === undefined) return; // a heartbeat without progress leaves the pending one as it is
    this.forget(token);
    if (this.closed || state.lease?.token !== token || sameJson(progress, state.progress)) return;
    const dueAt = (state.lastProgressAt === null ? 0 : Date.parse(state.lastProgressAt)) + PROGRESS_COALESCE_MS;
    const timer = setTimeout(() => void this.flush(token), Math.max(0, dueAt - this.tasks.now().getTime()));
    timer.unref(); // never what keeps the process alive
    this.pending.set(token, { taskId: state.taskId, progress, after: state.lastProgressAt, timer });
  }

  /** The lease ended (the worker reported its outcome): its pending progress is moot. */
  forget(token: string): void {
    const entry = this.pending.get(token);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.pending.delete(token);
  }

  onModuleDestroy(): void {
    this.closed = true;
    for (const token of [...this.pending.keys()]) this.forget(token);
  }

  /** Counted in `size` until done, so a caller can tell when nothing is left to record. */
  private async flush(token: string): Promise<void> {
    const entry = this.pending.get(token);
    if (!entry) return;
    const { taskId, progress, after } = entry;
    try {
      const { state, revision } = await this.tasks.load(taskId);
      // The lease ended, a later heartbeat (here or through another replica) recorded progress, or newer progress
      // came here while the stream was read (its own entry records it): nothing to add.
      if (state?.lease?.token !== token || state.lastProgressAt !== after || this.pending.get(token) !== entry) return;
      // Not a sign of life from the worker: the lease keeps the expiry its own last heartbeat gave it.
      const beat = { type: 'RecordHeartbeat' as const, taskId, token, progress, extendsLease: false };
      const done = await this.tasks.run(beat, { loaded: { state, revision } });
      // Still coalesced (the timer fired before the window ended by the service's clock): wait again, unless newer progress came meanwhile.
      if (this.pending.get(token) === entry && done.state?.lastProgressAt === after) this.afterHeartbeat(token, progress, done.state);
    } catch (error) {
      if (!(error instanceof DomainError)) {
        this.logger.warn({ taskId, error: String(error) }, 'could not record coalesced progress; the worker’s next heartbeat brings it again');
      } // else LeaseLost: the lease ended meanwhile
    } finally {
      if (this.pending.get(token) === entry) this.pending.delete(token);
    }
  }
}
