import {
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
import { assertEventIds } from '../event-ids';
import {
  AppendResult,
  EventHandler,
  EventStore,
  EventToAppend,
  EventsBetweenOptions,
  ExpectedRevision,
  LogPosition,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
  eventsBetweenScanLimit,
} from '../event-store.port';
import { streamPrefixesOf } from '../subscriptions/stream-prefixes';
import { SubscriptionRegistry } from '../subscriptions/subscription-registry';
import { toEventData, toRecordedEvent } from './eventstoredb-mapping';
import { decodePosition, encodePosition } from './eventstoredb-position';
import { EventStoreDbSubscription, SubscriptionListeners } from './eventstoredb-subscription';

export interface EventStoreDbEventStoreOptions {
  /** Hears about each dropped subscription before it is resumed; defaults to console.warn. */
  readonly onSubscriptionDropped?: (error: unknown) => void;
  /**
   * Hears about a subscription given up for good (access denied: the user
   * may not read $all, or the credentials are wrong); defaults to
   * console.error. The subscription's status then says `failed`.
   */
  readonly onFatal?: (error: unknown) => void;
}

/**
 * Event store on EventStoreDB (`@eventstore/db-client` 6.x). Concurrency,
 * atomic multi-event appends and the global order are the server's; this
 * class only maps types and adds what the client lacks: resubscribing after
 * a drop. The client must keep its default `throwOnAppendFailure: true`.
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly subscriptions = new SubscriptionRegistry();
  private readonly listeners: SubscriptionListeners;

  constructor(
    private readonly client: EventStoreDBClient,
    options: EventStoreDbEventStoreOptions = {},
  ) {
    this.listeners = {
      onDropped: options.onSubscriptionDropped ?? ((error) => console.warn('EventStoreDB subscription dropped, resubscribing:', error)),
      onFatal: options.onFatal ?? ((error) => console.error('EventStoreDB subscription failed for good, not resubscribing:', error)),
    };
  }

  /** e.g. `esdb://localhost:2113?tls=false`, or `esdb://user:pass@host:2113?tls=true&tlsCAFile=ca.crt` for a secured server. */
  static fromConnectionString(url: string, options?: EventStoreDbEventStoreOptions): EventStoreDbEventStore {
    return new EventStoreDbEventStore(EventStoreDBClient.connectionString(url), options);
  }

  async append(stream: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) throw new Error('append needs at least one event');
    assertEventIds(events);
    const expectedRevision = typeof expected === 'number' ? BigInt(expected) : expected;
    try {
      // Idempotency is the server's: ids the stream already holds right after
      // the expected revision resolve as a success with the original revision
      // and position (20.x servers sent no position: '' below); a partial overlap is
      // WrongExpectedVersion. With `any` the server only recognises ids still
      // in its cache of recent writes: enough for an immediate retry.
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

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    const fromRevision = options.fromRevision ? BigInt(options.fromRevision) : START;
    try {
      for await (const { event } of this.client.readStream(stream, { direction: FORWARDS, fromRevision })) {
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
    const prefixes = streamPrefixesOf(options);
    // A foreign checkpoint (another adapter's, or '') fails here, not in the background loop.
    if (options.after !== null) decodePosition(options.after);
    const open = (after: LogPosition | null) =>
      this.client.subscribeToAll({
        // Exclusive: the server starts with the event after this position.
        fromPosition: after === null ? START : decodePosition(after),
        // Without a prefix, still keep the server's own `$` events ($metadata, $statsCollected...) out.
        filter: prefixes ? streamNameFilter({ prefixes }) : excludeSystemEvents(),
      });
    const subscription = new EventStoreDbSubscription(open, handler, onError, this.listeners);
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

  /**
   * Positions are byte offsets, so this reads $all forwards from `after` and
   * counts: events not of the server's own (`$`) types, of one of
   * `streamPrefixes` when given, up to `until`. Stops at `until`, or once
   * `scanLimit` events after `after` (any stream or type) have been looked
   * at: the count is then a lower bound. A read of $all, as subscriptions
   * need anyway; filtered on this side, since the client's readAll takes no
   * filter.
   */
  async eventsBetween(after: LogPosition | null, until: LogPosition, options: EventsBetweenOptions = {}): Promise<number> {
    const from = after === null ? START : decodePosition(after);
    decodePosition(until); // refuses another adapter's position
    const limit = eventsBetweenScanLimit(options);
    const prefixes = options.streamPrefixes === undefined ? null : streamPrefixesOf({ streamPrefixes: options.streamPrefixes });
    // Same encoding both sides: string order is log order.
    if (after !== null && after >= until) return 0;
    const read = this.client.readAll({
      direction: FORWARDS,
      fromPosition: from,
      // One more than the limit: a read from a position may start with the event at it, which is not counted.
      ...(limit === Infinity ? {} : { maxCount: limit + 1 }),
    });
    let count = 0;
    let scanned = 0;
    try {
      for await (const { event } of read) {
        if (!event) continue;
        const position = encodePosition(event.position);
        // `after` is exclusive: a read of $all from a position may hand over the event there
        // (a subscription starts after it), so anything up to it is skipped, whichever it does.
        if (after !== null && position <= after) continue;
        if (position > until) break;
        if (!event.type.startsWith('$') && (prefixes === null || prefixes.some((prefix) => event.streamId.startsWith(prefix)))) count += 1;
        if (++scanned >= limit) break;
      }
      return count;
    } finally {
      // Leaving early does not end the gRPC read of the rest of the log.
      await read.cancel().catch(() => undefined);
    }
  }

  /** The encoding is zero-padded `commit:prepare`, so string order is log order. */
  comparePositions(a: LogPosition, b: LogPosition): number {
    decodePosition(a); // refuses another adapter's position rather than ordering it by accident
    decodePosition(b);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /** One event read backwards from the end of $all: cheap, and needs the $all read Herald's subscriptions need anyway. */
  async ping(): Promise<void> {
    const read = this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 });
    try {
      await read[Symbol.asyncIterator]().next(); // the event or the end of an empty log: either way it answered
    } finally {
      await read.cancel().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.subscriptions.stopAll();
    await this.client.dispose();
  }
}
