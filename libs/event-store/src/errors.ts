import { ExpectedRevision, LogPosition } from './event-store.port';

/** Optimistic concurrency lost: someone appended first. Maps to HTTP 409. */
export class WrongExpectedRevisionError extends Error {
  override readonly name = 'WrongExpectedRevisionError';
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no_stream',
  ) {
    super(`stream ${stream} was expected at ${String(expected)} but is at ${String(actual)}`);
  }
}

/**
 * A subscriber's stored checkpoint is later than the last event of the log:
 * the log was wiped or replaced (a new EventStoreDB server, a deleted SQLite
 * file beside a surviving projections file). Resuming would skip every event
 * up to the old checkpoint without a trace, so the subscriber refuses to start.
 */
export class CheckpointBeyondHeadError extends Error {
  override readonly name = 'CheckpointBeyondHeadError';
  constructor(
    readonly subscriber: string,
    readonly checkpoint: LogPosition,
    readonly head: LogPosition | null,
  ) {
    super(
      `subscriber ${subscriber} has checkpoint ${checkpoint}, beyond the head of the log (${head ?? 'empty log'}): ` +
        'the event store was wiped or replaced. Not starting rather than skipping events; ' +
        "restore the log, or delete this subscriber's checkpoint and data to rebuild them from it.",
    );
  }
}

/** A subscription its adapter gave up on (e.g. access denied): what a health probe of its subscriber reports. */
export class SubscriptionFailedError extends Error {
  override readonly name = 'SubscriptionFailedError';
  constructor(
    readonly subscriber: string,
    override readonly cause: unknown,
  ) {
    super(`subscription of ${subscriber} has stopped for good: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}
