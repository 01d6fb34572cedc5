import { CheckpointStore } from '../checkpoints/checkpoint-store.port';
import { EventStore, LogPosition, RecordedEvent, Subscription } from '../event-store.port';

export interface CheckpointedSubscriberOptions {
  /** Stable name: the checkpoint's key. Renaming it replays the log from the start. */
  readonly name: string;
  readonly events: EventStore;
  readonly checkpoints: CheckpointStore;
  readonly streamPrefix?: string;
  /** Must be idempotent: after a crash, events since the last checkpoint come again. */
  readonly handle: (event: RecordedEvent) => Promise<void>;
  readonly onError: (error: unknown, event: RecordedEvent) => void;
}

/**
 * A subscriber that reads the log from where it left off: the checkpoint is
 * saved after each handled event, so a restart neither skips an event nor
 * (given an idempotent handler) applies one twice in effect.
 */
export class CheckpointedSubscriber {
  private subscription: Subscription | null = null;
  private lastPosition: LogPosition | null = null;
  private handled = 0;

  constructor(private readonly options: CheckpointedSubscriberOptions) {}

  async start(): Promise<void> {
    const { events, checkpoints, name, streamPrefix, onError } = this.options;
    this.lastPosition = await checkpoints.load(name);
    this.subscription = events.subscribeToAll(
      { after: this.lastPosition, streamPrefix },
      async (event) => {
        await this.options.handle(event);
        await checkpoints.save(name, event.position);
        this.lastPosition = event.position;
        this.handled++;
      },
      onError,
    );
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
    this.subscription = null;
  }

  get status() {
    return { running: this.subscription !== null, position: this.lastPosition, handled: this.handled };
  }
}
