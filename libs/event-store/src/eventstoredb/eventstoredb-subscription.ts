import { AccessDeniedError, AllStreamSubscription, ErrorType } from '@eventstore/db-client';
import { EventHandler, LogPosition, RecordedEvent, SubscriptionStatus } from '../event-store.port';
import { deliverWithRetry } from '../subscriptions/retrying-delivery';
import { WakeableSleep } from '../subscriptions/wakeable-sleep';
import { toRecordedEvent } from './eventstoredb-mapping';
import { encodePosition } from './eventstoredb-position';

const MAX_RESUBSCRIBE_DELAY_MS = 5_000;

export interface SubscriptionListeners {
  /** A drop that will be resumed (server restart, lost connection, leader change). */
  readonly onDropped: (error: unknown) => void;
  /** A drop that will not be: resubscribing cannot help until someone changes the server or the credentials. */
  readonly onFatal: (error: unknown) => void;
}

/**
 * The client's AccessDeniedError: its `name` is plain 'Error' (the client
 * does not set it), so it is told by class or by its `type`. The client maps
 * both the server's access-denied and gRPC UNAUTHENTICATED (wrong password)
 * to it.
 */
export function isAccessDenied(error: unknown): boolean {
  return error instanceof AccessDeniedError || (error as { type?: unknown } | null)?.type === ErrorType.ACCESS_DENIED;
}

/**
 * One logical subscription over as many server subscriptions as drops
 * require: the client does not resubscribe by itself, so after an error
 * this resumes from the last delivered position, with capped backoff.
 * Access denied is the exception: retrying every 5 s would only hide it,
 * so the subscription fails for good and says so in its status.
 */
export class EventStoreDbSubscription {
  private stopped = false;
  private failure: { error: unknown } | null = null;
  private current: AllStreamSubscription | null = null;
  private readonly pause = new WakeableSleep();
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly open: (after: LogPosition | null) => AllStreamSubscription,
    private readonly handler: EventHandler,
    private readonly onError: (error: unknown, events: RecordedEvent[]) => void,
    private readonly listeners: SubscriptionListeners,
  ) {}

  get status(): SubscriptionStatus {
    if (this.failure) return { state: 'failed', error: this.failure.error };
    return { state: this.stopped ? 'stopped' : 'running' };
  }

  start(after: LogPosition | null): void {
    this.running = this.run(after);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.pause.wake();
    // Ends a `for await` that is waiting for the next event.
    await this.current?.unsubscribe().catch(() => undefined);
    await this.running;
  }

  private async run(after: LogPosition | null): Promise<void> {
    for (let drops = 0; !this.stopped; drops++) {
      const outcome = await this.follow(after);
      if (outcome.delivered) drops = 0;
      after = outcome.after;
      if (this.stopped) return;
      if (isAccessDenied(outcome.error)) return this.fail(outcome.error);
      this.listeners.onDropped(outcome.error);
      await this.pause.for(Math.min(MAX_RESUBSCRIBE_DELAY_MS, 100 * 2 ** drops));
    }
  }

  /** One server subscription, until it drops: how far it got and why it ended. */
  private async follow(after: LogPosition | null): Promise<{ after: LogPosition | null; delivered: boolean; error: unknown }> {
    let subscription: AllStreamSubscription | null = null;
    let delivered = false;
    try {
      subscription = this.current = this.open(after);
      // The loop sees errors through the iterator; this keeps one emitted
      // after the loop has let go of the stream from crashing the process.
      subscription.on('error', () => undefined);
      for await (const { event } of subscription) {
        if (!event) continue;
        const recorded = toRecordedEvent(event, encodePosition(event.position));
        // Batches of one: the stream hands events over singly. Reading ahead from
        // its buffer would batch here too; SQLite pages are where batching pays most.
        if (!(await deliverWithRetry([recorded], this.handler, () => this.stopped, this.onError))) break;
        after = recorded.position;
        delivered = true;
      }
      return { after, delivered, error: new Error('subscription ended by the server') };
    } catch (error) {
      return { after, delivered, error };
    } finally {
      this.current = null;
      // Releases the gRPC call if the loop left early; a no-op on an ended one.
      await subscription?.unsubscribe().catch(() => undefined);
    }
  }

  private fail(error: unknown): void {
    this.failure = { error };
    this.listeners.onFatal(error);
  }
}
