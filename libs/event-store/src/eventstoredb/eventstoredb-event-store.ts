import {
  AllStreamSubscription,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  streamNameFilter,
} from '@eventstore/db-client';
import { WrongExpectedRevisionError } from '../errors';
import {
  AppendResult,
  EventHandler,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  LogPosition,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
} from '../event-store.port';
import { deliverWithRetry } from '../subscriptions/retrying-delivery';
import { SubscriptionRegistry } from '../subscriptions/subscription-registry';
import { toEventData, toRecordedEvent } from './eventstoredb-mapping';
import { decodePosition, encodePosition } from './eventstoredb-position';

const MAX_RESUBSCRIBE_DELAY_MS = 5_000;

export interface EventStoreDbEventStoreOptions {
  /** Hears about each dropped subscription before it is resumed; defaults to console.warn. */
  readonly onSubscriptionDropped?: (error: unknown) => void;
}

/**
 * Event store on EventStoreDB (`@eventstore/db-client` 6.x). Concurrency,
 * atomic multi-event appends and the global order are the server's; this
 * class only maps types and adds what the client lacks: resubscribing after
 * a drop. The client must keep its default `throwOnAppendFailure: true`.
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly subscriptions = new SubscriptionRegistry();
  private readonly onSubscriptionDropped: (error: unknown) => void;

  constructor(
    private readonly client: EventStoreDBClient,
    options: EventStoreDbEventStoreOptions = {},
  ) {
    this.onSubscriptionDropped =
      options.onSubscriptionDropped ?? ((error) => console.warn('EventStoreDB subscription dropped, resubscribing:', error));
  }

  /** e.g. `esdb://localhost:2113?tls=false`. */
  static fromConnectionString(url: string, options?: EventStoreDbEventStoreOptions): EventStoreDbEventStore {
    return new EventStoreDbEventStore(EventStoreDBClient.connectionString(url), options);
  }

  async append(stream: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) throw new Error('append needs at least one event');
    const expectedRevision = typeof expected === 'number' ? BigInt(expected) : expected;
    try {
      const result = await this.client.appendToStream(stream, events.map(toEventData), { expectedRevision });
      // Only possible with throwOnAppendFailure: false, where a conflict
      // resolves instead of throwing (and nextExpectedRevision is unreliable).
      if (!result.success) throw new Error(`append to ${stream} failed: the client must use throwOnAppendFailure=true`);
      return {
        nextExpectedRevision: Number(result.nextExpectedRevision),
        // The type allows a missing position; '' then says "unknown" (and is rejected as a subscription start).
        position: result.position ? encodePosition(result.position) : '',
      };
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      const actual = error.actualVersion;
      throw new WrongExpectedRevisionError(stream, expected, actual === 'no_stream' ? 'no_stream' : Number(actual));
    }
  }

  async readStream(stream: string): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    try {
      for await (const { event } of this.client.readStream(stream, { direction: FORWARDS, fromRevision: START })) {
        // The client types a stream-read position as optional ("only returned on
        // server versions later than 22.6.0"); when absent, '' rather than a
        // guess from the resolved event's commitPosition alone.
        if (event) events.push(toRecordedEvent(event, event.position ? encodePosition(event.position) : ''));
      }
    } catch (error) {
      // A missing stream surfaces during iteration, not from readStream() itself.
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  }

  subscribeToAll(
    options: SubscribeOptions,
    handler: EventHandler,
    onError: (error: unknown, events: RecordedEvent[]) => void = () => undefined,
  ): Subscription {
    const { streamPrefix } = options;
    // A foreign checkpoint (another adapter's, or '') fails here, not in the background loop.
    if (options.after !== null) decodePosition(options.after);
    const open = (after: LogPosition | null) =>
      this.client.subscribeToAll({
        // Exclusive: the server starts with the event after this position.
        fromPosition: after === null ? START : decodePosition(after),
        // Without a prefix, still keep the server's own `$` events ($metadata, $statsCollected...) out.
        filter: streamPrefix ? streamNameFilter({ prefixes: [streamPrefix] }) : excludeSystemEvents(),
      });
    const subscription = new EventStoreDbSubscription(open, handler, onError, this.onSubscriptionDropped);
    subscription.start(options.after);
    return this.subscriptions.track(subscription);
  }

  async headPosition(): Promise<LogPosition | null> {
    const read = this.client.readAll({ direction: BACKWARDS, fromPosition: END });
    try {
      for await (const { event } of read) {
        // Skip what subscribeToAll's excludeSystemEvents() skips (types starting
        // with `$`): a rebuild that stops at this position must actually reach it.
        if (event && !event.type.startsWith('$')) return encodePosition(event.position);
      }
      return null;
    } finally {
      // Leaving the loop does not end the gRPC read of the rest of the log.
      await read.cancel().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.subscriptions.stopAll();
    await this.client.dispose();
  }
}

/**
 * One logical subscription over as many server subscriptions as drops
 * require: the client does not resubscribe by itself, so after an error
 * this resumes from the last delivered position, with capped backoff.
 */
class EventStoreDbSubscription {
  private stopped = false;
  private current: AllStreamSubscription | null = null;
  private wake: (() => void) | null = null;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly open: (after: LogPosition | null) => AllStreamSubscription,
    private readonly handler: EventHandler,
    private readonly onError: (error: unknown, events: RecordedEvent[]) => void,
    private readonly onDropped: (error: unknown) => void,
  ) {}

  start(after: LogPosition | null): void {
    this.running = this.run(after);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    // Ends a `for await` that is waiting for the next event.
    await this.current?.unsubscribe().catch(() => undefined);
    await this.running;
  }

  private async run(after: LogPosition | null): Promise<void> {
    for (let drops = 0; !this.stopped; drops++) {
      let subscription: AllStreamSubscription | null = null;
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
          if (!(await deliverWithRetry([recorded], this.handler, () => this.stopped, this.onError))) return;
          after = recorded.position;
          drops = 0;
        }
        if (!this.stopped) this.onDropped(new Error('subscription ended by the server'));
      } catch (error) {
        if (!this.stopped) this.onDropped(error);
      } finally {
        this.current = null;
        // Releases the gRPC call if the loop left early; a no-op on an ended one.
        await subscription?.unsubscribe().catch(() => undefined);
      }
      if (!this.stopped) await this.sleep(Math.min(MAX_RESUBSCRIBE_DELAY_MS, 100 * 2 ** drops));
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
