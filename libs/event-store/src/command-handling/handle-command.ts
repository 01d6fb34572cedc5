import { Decider, DomainEvent, fold } from '@herald/kernel';
import { WrongExpectedRevisionError } from '../errors';
import { commandEventId, isUuid } from '../event-ids';
import { AppendResult, EventStore, EventToAppend, ExpectedRevision, LogPosition, RecordedEvent } from '../event-store.port';

export interface HandleCommandOptions<S = unknown> {
  /** A UUID naming this command; its events' ids derive from it, so a retried command is recognised. */
  readonly commandId: string;
  /** Into every event's metadata; defaults to the commandId (the command starts the conversation). */
  readonly correlationId?: string;
  /** What caused the command (a message, an event), into every event's metadata; left out when absent. */
  readonly causationId?: string;
  /**
   * The W3C trace context the command ran in (the request's span), into
   * every event's metadata, so what the events cause later (a callback, a
   * lease) continues that trace; left out when absent. Given by the caller
   * (a controller's `@RequestTraceparent()`, a callback attempt's span): the
   * command path knows nothing of tracing.
   */
  readonly traceparent?: string;
  /**
   * Used instead of the revision read, on the first attempt only. `no_stream`
   * (a create) skips the read: the decision is made on the initial state, and
   * a repeated create is recognised by the store instead (same ids at
   * `no_stream`: the original revision and position come back).
   * A number (the client's If-Match) must equal the revision read.
   */
  readonly expected?: ExpectedRevision;
  /** Re-read and re-decide this many times when someone else appended first. Default 0. */
  readonly retryOnConflict?: number;
  /** Which stored events the decider folds. Default: all. */
  readonly isEvent?: (event: { type: string }) => boolean;
  /**
   * The state the caller read moments ago and acted on (a worker that POSTed
   * a callback): the first attempt decides on it at its revision without
   * reading again. A repeat is still recognised by the store (the same event
   * ids at the same revision); a conflict re-reads as usual.
   */
  readonly loaded?: { readonly state: S; readonly revision: number | 'no_stream' };
  /**
   * A cache of the stream's fold to start from (long-lived aggregates): only
   * the events after the snapshot are read, and a repeated command is
   * recognised among those. After an append that leaves `every` or more
   * events past it, a newer one is saved (a failed save is ignored: the log
   * stays the truth).
   */
  readonly snapshots?: SnapshotSource<S>;
}

export interface SnapshotSource<S> {
  load(): Promise<{ readonly state: S; readonly revision: number } | null>;
  save(state: S, revision: number): Promise<void>;
  readonly every: number;
}

export interface HandleCommandResult<S, E> {
  /** The state after the command (the state as read when it had nothing to do, or was applied before). */
  readonly state: S;
  /** What the command appended: empty when it had nothing to do; the stored ones when it was applied before. */
  readonly events: E[];
  readonly nextExpectedRevision: number | 'no_stream';
  /** Where its last event sits in the log (to wait for projections); null when the stream is empty. */
  readonly position: LogPosition | null;
  /**
   * Set when the stream already held this command's events (a retried
   * request, a redelivered message, recognised by its command id while
   * reading the stream): `events` are the stored ones and this call appended
   * nothing. Absent otherwise, including a repeat that only the store
   * recognised (a create retried at `no_stream`, a decision on a `loaded`
   * state appended twice): the store answers those as if written.
   */
  readonly appliedBefore?: true;
}

/**
 * Herald's one command path, after Emmett's handleCommand: load the stream,
 * fold, decide, and append all of the command's events in one append at the
 * revision the decision was made on. Safe to repeat: a command already in
 * the stream is not decided again, and its events carry ids derived from the
 * commandId, so an append whose outcome is unknown is retried idempotently.
 * Domain errors from `decide` propagate unchanged.
 */
export async function handleCommand<S, C, E extends DomainEvent>(
  store: EventStore,
  decider: Decider<S, C, E>,
  stream: string,
  command: C,
  options: HandleCommandOptions<S>,
): Promise<HandleCommandResult<S, E>> {
  if (!isUuid(options.commandId)) throw new TypeError(`commandId is not a UUID: ${JSON.stringify(options.commandId)}`);
  const retries = options.retryOnConflict ?? 0;
  for (let attempt = 0; ; attempt++) {
    try {
      // Retries drop `expected`: they re-read, so the revision read is the one to hold.
      const first = attempt === 0;
      return await decideAndAppend(
        store,
        decider,
        stream,
        command,
        options,
        first ? options.expected : undefined,
        first ? options.loaded : undefined,
      );
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError) || attempt >= retries) throw error;
    }
  }
}

async function decideAndAppend<S, C, E extends DomainEvent>(
  store: EventStore,
  decider: Decider<S, C, E>,
  stream: string,
  command: C,
  options: HandleCommandOptions<S>,
  expected: ExpectedRevision | undefined,
  given: HandleCommandOptions<S>['loaded'],
): Promise<HandleCommandResult<S, E>> {
  const loaded: Loaded<S, E> = given
    ? { state: given.state, revision: given.revision, position: null, appliedBefore: null, snapshotRevision: null }
    : expected === 'no_stream'
      ? notYetCreated(decider)
      : await load(store, decider, stream, options);
  if (loaded.appliedBefore) return loaded.appliedBefore;
  assertExpected(stream, expected, loaded.revision);
  const events = decider.decide(command, loaded.state);
  if (events.length === 0) return { state: loaded.state, events, nextExpectedRevision: loaded.revision, position: loaded.position };
  const result = await appendRetryingUnknownOutcome(store, stream, toAppend(events, options), expected ?? loaded.revision);
  const state = events.reduce(decider.evolve, loaded.state);
  const snapshots = options.snapshots;
  // The state this command was decided on, not the one after it: a retry of this command then still
  // finds its events after the snapshot and is recognised as applied.
  if (snapshots && typeof loaded.revision === 'number' && loaded.revision - (loaded.snapshotRevision ?? -1) >= snapshots.every) {
    await snapshots.save(loaded.state, loaded.revision).catch(() => undefined);
  }
  return {
    state,
    events,
    nextExpectedRevision: result.nextExpectedRevision,
    position: result.position,
  };
}

interface Loaded<S, E> {
  state: S;
  revision: number | 'no_stream';
  position: LogPosition | null;
  /** Set when the stream already holds this command's events. */
  appliedBefore: HandleCommandResult<S, E> | null;
  /** The revision of the snapshot the state started from; null when folded from the start. */
  snapshotRevision: number | null;
}

type Folding<S, E> = Pick<Decider<S, unknown, E>, 'initialState' | 'evolve'>;

function notYetCreated<S, E>(decider: Folding<S, E>): Loaded<S, E> {
  return { state: decider.initialState(), revision: 'no_stream', position: null, appliedBefore: null, snapshotRevision: null };
}

async function load<S, E extends DomainEvent>(
  store: EventStore,
  decider: Folding<S, E>,
  stream: string,
  options: HandleCommandOptions<S>,
): Promise<Loaded<S, E>> {
  const snapshot = options.snapshots ? await options.snapshots.load() : null;
  const recorded = await store.readStream(stream, snapshot ? { fromRevision: snapshot.revision + 1 } : {});
  const ours = (events: RecordedEvent[]) => events.filter(options.isEvent ?? (() => true)).map(toDomainEvent<E>);
  const last = recorded[recorded.length - 1];
  const loaded: Loaded<S, E> = {
    state: snapshot ? ours(recorded).reduce(decider.evolve, snapshot.state) : fold(decider, ours(recorded)),
    revision: last ? last.revision : snapshot ? snapshot.revision : 'no_stream',
    position: last ? last.position : null,
    appliedBefore: null,
    snapshotRevision: snapshot?.revision ?? null,
  };
  const earlier = recorded.filter((e) => e.metadata.commandId === options.commandId);
  if (earlier.length > 0) {
    // Applied before (a retried request, a redelivered message): report it, do not decide again.
    loaded.appliedBefore = {
      state: loaded.state,
      events: ours(earlier),
      nextExpectedRevision: loaded.revision,
      position: loaded.position,
      appliedBefore: true,
    };
  }
  return loaded;
}

/** The caller's expectation, checked before deciding on a state the caller did not see. */
function assertExpected(stream: string, expected: ExpectedRevision | undefined, actual: number | 'no_stream'): void {
  const ok = expected === undefined || expected === 'any' || (expected === 'stream_exists' && actual !== 'no_stream') || expected === actual;
  if (!ok) throw new WrongExpectedRevisionError(stream, expected, actual);
}

function toAppend(events: readonly DomainEvent[], options: HandleCommandOptions): EventToAppend[] {
  const { commandId, correlationId = commandId, causationId, traceparent } = options;
  const metadata: Record<string, string> = { commandId, correlationId };
  if (causationId !== undefined) metadata.causationId = causationId;
  if (traceparent !== undefined) metadata.traceparent = traceparent;
  return events.map((event, index) => ({
    id: commandEventId(commandId, index),
    type: event.type,
    version: event.version,
    data: event.data,
    metadata,
  }));
}

/**
 * A failure other than a conflict (timeout, lost connection) leaves the
 * outcome unknown: the append may have landed. Sending the same ids at the
 * same expected revision again either writes them or, when they landed,
 * returns the first attempt's result (the store's idempotency).
 */
async function appendRetryingUnknownOutcome(
  store: EventStore,
  stream: string,
  events: EventToAppend[],
  expected: ExpectedRevision,
): Promise<AppendResult> {
  try {
    return await store.append(stream, events, expected);
  } catch (error) {
    if (error instanceof WrongExpectedRevisionError) throw error;
    return store.append(stream, events, expected);
  }
}

function toDomainEvent<E extends DomainEvent>(event: RecordedEvent): E {
  // Only what a decider folds: type, schema version and data; where it sits stays in the store.
  return { type: event.type, version: event.version, data: event.data } as E;
}
