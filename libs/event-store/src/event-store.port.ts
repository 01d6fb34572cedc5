/**
 * The write side's log. One stream per aggregate, appended with optimistic
 * concurrency; one global, ordered log that subscribers read from a
 * checkpoint they store themselves. Adapters: sqlite/ (embedded default),
 * eventstoredb/ (full stack). All pass contract/event-store.contract.ts.
 */
export const EVENT_STORE = Symbol('EVENT_STORE');

/**
 * What the appender believes about the stream: it must not exist yet, it
 * must exist, anything goes, or its last event has exactly this revision.
 */
export type ExpectedRevision = 'no_stream' | 'stream_exists' | 'any' | number;

export interface EventToAppend {
  /**
   * A UUID naming this event for good; the adapter makes one up when absent.
   * Re-appending the same ids at the same expected revision (or with `any`)
   * returns the original AppendResult instead of writing twice, so a write
   * whose outcome is unknown (timeout, lost connection) can simply be retried.
   */
  readonly id?: string;
  readonly type: string;
  readonly version: number;
  readonly data: unknown;
  readonly metadata?: Record<string, unknown>;
}

/**
 * An opaque, totally ordered position in the global log. Stored by
 * subscribers as their checkpoint; only the adapter that issued it reads it.
 */
export type LogPosition = string;

export interface RecordedEvent {
  /** The id it was appended with (lower-case UUID). */
  readonly id: string;
  readonly stream: string;
  /** 0-based index of the event within its stream. */
  readonly revision: number;
  readonly position: LogPosition;
  readonly type: string;
  readonly version: number;
  readonly data: unknown;
  readonly metadata: Record<string, unknown>;
  readonly recordedAt: Date;
}

export interface AppendResult {
  /** Revision of the last event written: the expected revision for the next append. */
  readonly nextExpectedRevision: number;
  readonly position: LogPosition;
}

export interface ReadStreamOptions {
  /** The first revision to return. */
  readonly fromRevision?: number;
}

export interface SubscribeOptions {
  /** Deliver events strictly after this position; null means from the start of the log. */
  readonly after: LogPosition | null;
  /** Only streams whose name starts with this (e.g. `reminder-`). */
  readonly streamPrefix?: string;
  /** Only streams whose name starts with one of these; combines with `streamPrefix`. Not empty. */
  readonly streamPrefixes?: readonly string[];
  /**
   * On a latency path (task starts, the live feed): where the adapter learns
   * of other processes' appends by polling (SQLite shared by several
   * services), wake at once when one is reported, not at the next poll.
   * Others (read models) read bigger pages at the poll's pace under load.
   * Adapters that push every event (EventStoreDB) need no such choice.
   */
  readonly promptly?: boolean;
}

/**
 * Called with events in log order, a batch at a time (what the adapter had
 * at hand, up to a page); the next batch waits for the returned promise.
 * Batches let a consumer write a page of changes in one transaction.
 */
export type EventHandler = (events: RecordedEvent[]) => Promise<void>;

/**
 * `failed`: the adapter gave up for good (e.g. EventStoreDB denied access to
 * $all) and will not deliver again until restarted; `error` says why.
 */
export type SubscriptionStatus =
  { readonly state: 'running' } | { readonly state: 'stopped' } | { readonly state: 'failed'; readonly error: unknown };

export interface Subscription {
  /** Resolves once the handler will not be called again. */
  stop(): Promise<void>;
  /** For health probes. */
  readonly status: SubscriptionStatus;
  /**
   * How far the log has been read for this subscription, the events its
   * filter passes over included: every event up to here that it matches has
   * been handled. Absent when the adapter cannot tell (EventStoreDB hands
   * over matching events only), null before anything was read from an empty
   * start. What a lag measure compares with the head: a subscription to a
   * quiet category is not behind just because other categories moved on.
   */
  readonly scannedTo?: LogPosition | null;
}

/** Default of EventsBetweenOptions.scanLimit. */
export const EVENTS_BETWEEN_SCAN_LIMIT = 10_000;

export interface EventsBetweenOptions {
  /** Count only events of streams whose name starts with one of these. Not empty. */
  readonly streamPrefixes?: readonly string[];
  /**
   * Where the adapter reads the log to count, how many events after `after`
   * it examines at most (matching or not); a positive integer, or Infinity
   * for the whole range. Default EVENTS_BETWEEN_SCAN_LIMIT.
   */
  readonly scanLimit?: number;
}

/** The scan limit of `options`, checked: for adapters implementing eventsBetween. */
export function eventsBetweenScanLimit(options: EventsBetweenOptions = {}): number {
  const limit = options.scanLimit ?? EVENTS_BETWEEN_SCAN_LIMIT;
  if (!(limit === Infinity || (Number.isSafeInteger(limit) && limit > 0))) {
    throw new RangeError(`scanLimit must be a positive integer or Infinity, got ${limit}`);
  }
  return limit;
}

export interface EventStore {
  /**
   * Appends all events atomically or none; throws WrongExpectedRevisionError
   * on a conflict. Idempotent (EventStoreDB's rule): when the events' ids
   * were already appended to this stream, in this order, right after
   * `expected` (or anywhere with `any`/`stream_exists`), it returns the
   * original result and writes nothing; a partial overlap is a conflict.
   */
  append(stream: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult>;
  /** The stream in order, from `fromRevision` (default 0: the whole stream); [] when it does not exist or ends before. */
  readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /**
   * Catch-up then live: every event after `options.after`, in log order, and
   * those appended later. A handler that throws is retried with backoff
   * (the batch is not skipped); `onError` hears about each failure.
   */
  subscribeToAll(options: SubscribeOptions, handler: EventHandler, onError?: (error: unknown, events: RecordedEvent[]) => void): Subscription;
  /** Position of the last event in the log, null when empty: where a rebuild can stop. */
  headPosition(): Promise<LogPosition | null>;
  /** Negative, zero or positive as `a` is before, at or after `b` in the log; both must come from this adapter. */
  comparePositions(a: LogPosition, b: LogPosition): number;
  /**
   * How many events lie after `after` (null: the start of the log) up to and
   * including `until`: what a lag measure counts. Never more than the true
   * count. With `streamPrefixes`, only events of streams starting with one
   * of them (a projection's categories): an EventStoreDB subscription's read
   * position is its last handled event, so other categories' events after it
   * are not lag. EventStoreDB leaves out its own `$`-typed events, as
   * subscriptions do.
   *
   * Where counting needs the log read, at most `scanLimit` events after
   * `after` are examined, and the count is of those: a lower bound ("at
   * least N") when more lie between. SQLite without prefixes counts from the
   * positions alone (row numbers), exactly, reading nothing; with prefixes it
   * counts matching rows among the next `scanLimit` positions. EventStoreDB's
   * positions are byte offsets, so it reads $all forwards from `after`, every
   * time. Optional: test doubles may leave it out.
   */
  eventsBetween?(after: LogPosition | null, until: LogPosition, options?: EventsBetweenOptions): number | Promise<number>;
  /** Resolves when the store answers a cheap read; for health probes. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
