import { CheckpointStore } from '../checkpoints/checkpoint-store.port';
import { CheckpointBeyondHeadError, SubscriptionFailedError } from '../errors';
import { EventStore, LogPosition, RecordedEvent, Subscription } from '../event-store.port';
import { WakeableSleep } from './wakeable-sleep';

export interface CheckpointedSubscriberOptions {
  /** Stable name: the checkpoint's key. Renaming it replays the log from the start. */
  readonly name: string;
  readonly events: EventStore;
  readonly checkpoints: CheckpointStore;
  readonly streamPrefix?: string;
  /** Several categories in one subscription, in log order (see SubscribeOptions). */
  readonly streamPrefixes?: readonly string[];
  /** Must be idempotent: after a crash, events since the last checkpoint come again. */
  readonly handle: (events: RecordedEvent[]) => Promise<void>;
  /**
   * Save the checkpoint at most this often (and on stop). Saving after every
   * event doubles the writes; a crash replays at most this window, which an
   * idempotent handler absorbs. Default 250 ms.
   */
  readonly checkpointEveryMs?: number;
  /**
   * After a batch smaller than a page, let events gather this long before
   * reading on (default 0: read at once). Under a steady trickle a subscriber
   * otherwise reads and writes one or two events at a time, a transaction
   * each; with a window it handles the window's worth in one. The first event
   * after a quiet spell is handled at once; later ones wait at most this long.
   * For read models, not for subscribers on a latency path (timers).
   */
  readonly batchWindowMs?: number;
  /** See SubscribeOptions.promptly. */
  readonly promptly?: boolean;
  readonly onError: (error: unknown, events: RecordedEvent[]) => void;
}

/** A batch this large means the subscriber is catching up: it reads on without a window. */
const SMALL_BATCH = 100;

/**
 * A subscriber that reads the log from where it left off: the checkpoint is
 * saved after handled events (throttled), so a restart never skips an event
 * and, given an idempotent handler, never applies one twice in effect.
 */
export class CheckpointedSubscriber {
  private subscription: Subscription | null = null;
  private lastPosition: LogPosition | null = null;
  private savedPosition: LogPosition | null = null;
  private lastSaveAt = 0;
  private handled = 0;
  private stopping = false;
  private readonly gathering = new WakeableSleep();

  constructor(private readonly options: CheckpointedSubscriberOptions) {}

  /** Rejects with CheckpointBeyondHeadError when the log no longer reaches the checkpoint. */
  async start(): Promise<void> {
    const { events, checkpoints, name, streamPrefix, streamPrefixes, promptly, onError } = this.options;
    const checkpoint = await checkpoints.load(name);
    await this.assertWithinLog(checkpoint);
    this.lastPosition = this.savedPosition = checkpoint;
    this.subscription = events.subscribeToAll(
      { after: this.lastPosition, streamPrefix, streamPrefixes, promptly },
      async (events) => {
        await this.options.handle(events);
        this.lastPosition = events[events.length - 1].position;
        this.handled += events.length;
        if (Date.now() - this.lastSaveAt >= (this.options.checkpointEveryMs ?? 250)) await this.saveCheckpoint();
        await this.gather(events.length);
      },
      onError,
    );
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.gathering.wake();
    await this.subscription?.stop();
    this.subscription = null;
    await this.saveCheckpoint();
  }

  /** Holds the subscription's next read for the batch window; a full batch (catching up) or a stop does not wait. */
  private async gather(batchSize: number): Promise<void> {
    const windowMs = this.options.batchWindowMs ?? 0;
    if (windowMs <= 0 || batchSize >= SMALL_BATCH || this.stopping) return;
    await this.gathering.for(windowMs);
  }

  /**
   * A checkpoint past the head cannot come from this log: resuming after it
   * would silently skip whatever the new log holds up to there.
   */
  private async assertWithinLog(checkpoint: LogPosition | null): Promise<void> {
    if (checkpoint === null) return;
    const { events, name } = this.options;
    const head = await events.headPosition();
    if (head === null || events.comparePositions(checkpoint, head) > 0) throw new CheckpointBeyondHeadError(name, checkpoint, head);
  }

  private async saveCheckpoint(): Promise<void> {
    if (this.lastPosition === null || this.lastPosition === this.savedPosition) return;
    await this.options.checkpoints.save(this.options.name, this.lastPosition);
    this.savedPosition = this.lastPosition;
    this.lastSaveAt = Date.now();
  }

  /**
   * How far this subscriber has read the log: its last handled event, or
   * further when the subscription also passed over events of other
   * categories (Subscription.scannedTo). Null before anything was read.
   * Compared with the log's head, it says how far behind the subscriber is.
   */
  get readPosition(): LogPosition | null {
    const scanned = this.subscription?.scannedTo ?? null;
    const handled = this.lastPosition;
    if (scanned === null || handled === null) return scanned ?? handled;
    return this.options.events.comparePositions(scanned, handled) >= 0 ? scanned : handled;
  }

  /**
   * What a health probe returns. Throws SubscriptionFailedError once the
   * adapter has given up on the subscription (e.g. access denied), so a probe
   * that returns this reports the subscriber down.
   */
  get status() {
    const status = this.subscription?.status;
    if (status?.state === 'failed') throw new SubscriptionFailedError(this.options.name, status.error);
    return { running: status?.state === 'running', position: this.lastPosition, handled: this.handled };
  }
}
