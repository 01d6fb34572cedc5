import { CheckpointStore } from '../checkpoints/checkpoint-store.port';
import { EventStore, LogPosition, RecordedEvent, Subscription } from '../event-store.port';

export interface CheckpointedSubscriberOptions {
  /** Stable name: the checkpoint's key. Renaming it replays the log from the start. */
  readonly name: string;
  readonly events: EventStore;
  readonly checkpoints: CheckpointStore;
  readonly streamPrefix?: string;
  /** Must be idempotent: after a crash, events since the last checkpoint come again. */
  readonly handle: (events: RecordedEvent[]) => Promise<void>;
  /**
   * Save the checkpoint at most this often (and on stop). Saving after every
   * event doubles the writes; a crash replays at most this window, which an
   * idempotent handler absorbs. Default 250 ms.
   */
  readonly checkpointEveryMs?: number;
  readonly onError: (error: unknown, events: RecordedEvent[]) => void;
}

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

  constructor(private readonly options: CheckpointedSubscriberOptions) {}

  async start(): Promise<void> {
    const { events, checkpoints, name, streamPrefix, onError } = this.options;
    this.lastPosition = this.savedPosition = await checkpoints.load(name);
    this.subscription = events.subscribeToAll(
      { after: this.lastPosition, streamPrefix },
      async (events) => {
        await this.options.handle(events);
        this.lastPosition = events[events.length - 1].position;
        this.handled += events.length;
        if (Date.now() - this.lastSaveAt >= (this.options.checkpointEveryMs ?? 250)) await this.saveCheckpoint();
      },
      onError,
    );
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
    this.subscription = null;
    await this.saveCheckpoint();
  }

  private async saveCheckpoint(): Promise<void> {
    if (this.lastPosition === null || this.lastPosition === this.savedPosition) return;
    await this.options.checkpoints.save(this.options.name, this.lastPosition);
    this.savedPosition = this.lastPosition;
    this.lastSaveAt = Date.now();
  }

  get status() {
    return { running: this.subscription !== null, position: this.lastPosition, handled: this.handled };
  }
}
