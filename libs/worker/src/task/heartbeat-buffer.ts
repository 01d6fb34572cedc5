import { HeartbeatRequest } from '../protocol';
import { deferred, Deferred } from '../util/deferred';

interface Slot {
  value: unknown;
}

interface PendingCheckpoint extends Slot {
  waiters: Deferred<void>[];
}

/** One heartbeat's body, and the `ctx.checkpoint()` calls that resolve once it is answered. */
export class HeartbeatBatch {
  constructor(
    readonly progress: Slot | undefined,
    readonly checkpoint: PendingCheckpoint | undefined,
  ) {}

  get body(): HeartbeatRequest {
    const body: HeartbeatRequest = {};
    if (this.progress) body.progress = this.progress.value;
    if (this.checkpoint) body.checkpoint = this.checkpoint.value;
    return body;
  }

  /** The server answered: the checkpoint in `body` is durable. */
  delivered(): void {
    this.checkpoint?.waiters.forEach((w) => w.resolve());
  }

  /** The checkpoint in `body` will not be saved by this batch. */
  failed(error: unknown): void {
    this.checkpoint?.waiters.forEach((w) => w.reject(error));
  }
}

/**
 * What a lease's next heartbeat carries. Progress is coalesced: only the
 * newest value is kept, and only a periodic tick takes it, so a handler may
 * report progress in a tight loop and still cause at most one heartbeat per
 * interval. A checkpoint is taken by any heartbeat, including the one sent at
 * once for it; checkpoints offered while one is in flight also coalesce to the
 * newest, whose answer resolves every waiter (the older ones are superseded).
 */
export class HeartbeatBuffer {
  private progress: Slot | undefined;
  private checkpoint: PendingCheckpoint | undefined;
  private latest: Slot | undefined;

  offerProgress(value: unknown): void {
    this.progress = { value };
  }

  offerCheckpoint(value: unknown): Promise<void> {
    const waiter = deferred();
    // Marked handled: a handler that does not await its checkpoint must not crash the process if it fails.
    waiter.promise.catch(() => undefined);
    this.checkpoint = { value, waiters: [...(this.checkpoint?.waiters ?? []), waiter] };
    this.latest = { value };
    return waiter.promise;
  }

  get hasCheckpoint(): boolean {
    return this.checkpoint !== undefined;
  }

  /** The newest checkpoint offered in this run, durable or not, for a release. */
  get latestCheckpoint(): Slot | undefined {
    return this.latest;
  }

  /** Empties the buffer into a batch; progress only when `withProgress` (a periodic tick). */
  take(withProgress: boolean): HeartbeatBatch {
    const batch = new HeartbeatBatch(withProgress ? this.progress : undefined, this.checkpoint);
    if (withProgress) this.progress = undefined;
    this.checkpoint = undefined;
    return batch;
  }

  /** Puts a batch that may succeed later back, unless something newer has arrived since. */
  restore({ progress, checkpoint }: HeartbeatBatch): void {
    this.progress ??= progress;
    if (!checkpoint) return;
    if (this.checkpoint) this.checkpoint.waiters.unshift(...checkpoint.waiters);
    else this.checkpoint = checkpoint;
  }

  /** Rejects every waiting `ctx.checkpoint()`: the lease is gone or the task is over. */
  rejectAll(error: unknown): void {
    this.checkpoint?.waiters.forEach((w) => w.reject(error));
    this.checkpoint = undefined;
    this.progress = undefined;
  }
}
