import { createParser } from 'eventsource-parser';
import type { EventSourceMessage } from 'eventsource-parser';
import { HeraldError, HeraldRateLimitedError, HeraldServerError } from './errors';
import type { FeedQuery, HistoryEvent } from './types';

/** One event of the live feed (`GET /api/v1/stream`). */
export interface FeedMessage {
  /** The feed's id of this message (`id:`): an opaque token; `after` resumes right after it. */
  id: string;
  /** `reminder`, `task`, `schedule` or `notification`. */
  category: string;
  /** The id of the reminder, task, schedule or notification. */
  resourceId: string;
  /** Its stream in the log: `<category>-<resourceId>`. */
  stream: string;
  /** The event type (`ReminderDefined`, `TaskProgressed`, `NotificationPublished`…). */
  type: string;
  /** The event's position in its stream, from 0. */
  revision: number;
  /** What the event records, as `/:id/events` shows it (header values and lease secrets redacted). */
  data: Record<string, unknown>;
  /** When the log recorded it (ISO-8601, UTC). */
  recordedAt: string;
}

/** What `stream()` follows: the filters combine with AND; a list matches any of its items. */
export interface FeedFilter {
  /** `reminder`, `task`, `schedule`, `notification`, or several. */
  category?: string | string[];
  /** One resource's events. */
  id?: string;
  owner?: string;
  /** Event types (`ReminderCompleted`, `TaskFailed`…). */
  type?: string | string[];
  /** Notification channels: only notifications on them. */
  channel?: string | string[];
  /** Start right after this message id (a `FeedMessage.id` seen earlier) instead of at the live end. */
  after?: string;
  /** Aborting it ends the iteration (without an error) and closes the connection. */
  signal?: AbortSignal;
}

/** The task events after which a task runs no more: `tasks.watch()` ends after one. */
export const TASK_TERMINAL_EVENTS: readonly string[] = ['TaskCompleted', 'TaskFailed', 'TaskCancelled'];

/** Reconnection delays: the server's `retry:` (else `baseMs`), doubled per consecutive failure, never above `maxMs`. */
export const RECONNECT_DELAYS = { baseMs: 1_000, minMs: 1, maxMs: 30_000 } as const;

/** A connection of the feed the server answered with 200. */
export interface FeedConnection {
  body: ReadableStream<Uint8Array>;
  /** Its `herald-feed-position` header: the position the feed starts after (absent when the log is empty). */
  position?: string;
}

/**
 * Opens one connection of the feed: resolves with the body (and the starting
 * position) once the server answered 200, throws a HeraldError for a refusal
 * and the fetch error for a network failure.
 */
export type FeedConnect = (query: FeedQuery, lastEventId: string | undefined, signal: AbortSignal) => Promise<FeedConnection>;

/** A connection that stayed open this long (ms) resets the backoff even without a message. */
const HEALTHY_CONNECTION_MS = 5_000;

/** The parser's buffer limit (characters, 16 Mi): a longer event is a broken stream (dropped and resumed), not a message. */
const MAX_BUFFERED_CHARS = 16 * 1024 * 1024;

export interface FollowOptions {
  /**
   * Called each time a connection opens, before its messages: extra messages to
   * yield first (`tasks.watch()` fills in from the task's history what the feed
   * cannot resend). `resumed`: the connection resumed after a message id.
   */
  onOpen?: (resumed: boolean) => Promise<FeedMessage[]>;
}

/**
 * The feed as an async iterator: one connection at a time, parsed with
 * eventsource-parser. A dropped connection, a 5xx or a 429 is retried after a
 * backoff (the server's `retry:` or `Retry-After` honoured, capped; it grows
 * while connections fail or close before a message) with `Last-Event-ID` set
 * to the last message yielded, so the server resends exactly what followed
 * it: nothing missed, nothing twice. Before the first message, it is the
 * position the last connection started after (its `herald-feed-position`
 * header), so nothing is missed before the first message either. Another refusal
 * (400, 401, 403…) is thrown as its HeraldError; so is a network failure of
 * the very first connection (a wrong URL, a Herald that is down), which would
 * otherwise be retried for ever. `break`, `return()` or the filter's signal
 * close the connection.
 */
export async function* followFeed(
  connect: FeedConnect,
  filter: FeedFilter = {},
  options: FollowOptions = {},
): AsyncGenerator<FeedMessage, void, undefined> {
  const { signal: external, after } = filter;
  if (external?.aborted) return;
  const abort = new AbortController();
  const onAbort = () => abort.abort(external?.reason);
  external?.addEventListener('abort', onAbort, { once: true });
  const query = feedQuery(filter);
  let lastEventId: string | undefined;
  // Where the latest connection started (its header): resumed from until a message was yielded.
  let position: string | undefined;
  let serverRetryMs: number | undefined;
  let failures = 0;
  let opened = false;
  try {
    while (!abort.signal.aborted) {
      let body: ReadableStream<Uint8Array> | undefined;
      let first: FeedMessage[] = [];
      // After a message, resume after it; before one, where the last connection started. Last-Event-ID wins over ?after=, so drop that.
      const resumeFrom = lastEventId ?? position;
      try {
        const connection = await connect(
          resumeFrom === undefined ? { ...query, ...(after !== undefined ? { after } : {}) } : query,
          resumeFrom,
          abort.signal,
        );
        body = connection.body;
        if (connection.position !== undefined && lastEventId === undefined) position = connection.position;
        if (abort.signal.aborted) {
          void body.cancel().catch(() => undefined);
          return;
        }
        if (options.onOpen) {
          // Failing like the connection it belongs to: retried or thrown by the same rules.
          first = await options.onOpen(resumeFrom !== undefined);
        }
      } catch (error) {
        if (body) void body.cancel().catch(() => undefined);
        if (abort.signal.aborted) return;
        const retryable = error instanceof HeraldError ? error.status === 429 || error.status >= 500 : opened;
        if (!retryable) throw error;
        failures++;
        const retryAfter = error instanceof HeraldError ? retryAfterMs(error) : undefined;
        // Retry-After is a minimum: `0` must not make a tight loop.
        await sleep(Math.max(retryAfter ?? 0, backoff(failures, serverRetryMs)), abort.signal);
        continue;
      }
      // Aborted while onOpen ran: nothing more to yield.
      if (abort.signal.aborted) {
        void body.cancel().catch(() => undefined);
        return;
      }
      opened = true;
      const openedAt = Date.now();
      let received = false;
      // onOpen's messages first (they have no feed id: resuming stays after the last message the feed sent).
      const queue: FeedMessage[] = first;
      const parser = createParser({
        onEvent: (event) => {
          const message = feedMessage(event);
          if (!message) return;
          received = true;
          queue.push(message);
        },
        onRetry: (ms) => (serverRetryMs = Math.min(Math.max(0, ms), RECONNECT_DELAYS.maxMs)),
        maxBufferSize: MAX_BUFFERED_CHARS,
      });
      const reader = body.getReader();
      const decoder = new TextDecoder();
      // fetch tears the body down when its signal aborts; a fetch passed in might not: cancelling ends a pending read either way.
      const cancel = () => void reader.cancel().catch(() => undefined);
      abort.signal.addEventListener('abort', cancel, { once: true });
      try {
        for (;;) {
          while (queue.length > 0) {
            const message = queue.shift()!;
            if (message.id !== '') lastEventId = message.id;
            yield message;
          }
          const { done, value } = await reader.read();
          if (done) break;
          parser.feed(decoder.decode(value, { stream: true }));
        }
      } catch {
        // The connection dropped (or was aborted: checked below).
      } finally {
        abort.signal.removeEventListener('abort', cancel);
        cancel();
      }
      if (abort.signal.aborted) return;
      // Messages received whole before the drop are good: yield them before resuming after the last.
      while (queue.length > 0) {
        const message = queue.shift()!;
        if (message.id !== '') lastEventId = message.id;
        yield message;
      }
      // A connection that delivered a message (or stayed open a while) was healthy: the backoff starts over.
      // One that answered 200 and closed at once counts as a failure, so those do not loop at the base delay.
      if (received || Date.now() - openedAt >= HEALTHY_CONNECTION_MS) failures = 0;
      failures++;
      await sleep(backoff(failures, serverRetryMs), abort.signal);
    }
  } finally {
    external?.removeEventListener('abort', onAbort);
    abort.abort();
  }
}

/**
 * A task's events as they happen, ending after its terminal event (TaskCompleted,
 * TaskFailed, TaskCancelled). What happened before the call is not repeated; what
 * happens from the call on is yielded once each, in order: the feed starts at its
 * live end when it first connects, so the events recorded between the call and
 * that connection are read from the task's history instead — those carry
 * `id: ''`, the feed not having sent them. A reconnection resumes where the feed
 * was (after its last message, or where it started): the server either resumes
 * exactly or answers 400 (thrown); only a reconnection that did not resume (the
 * log was empty when the feed started) reads the history again.
 * A task that had already finished yields its terminal event and ends. An unknown
 * task throws HeraldNotFoundError.
 */
export async function* watchTask(
  taskId: string,
  events: (id: string) => Promise<HistoryEvent[]>,
  follow: (filter: FeedFilter, options: FollowOptions) => AsyncGenerator<FeedMessage, void, undefined>,
  signal?: AbortSignal,
): AsyncGenerator<FeedMessage, void, undefined> {
  const history = await events(taskId);
  const last = history.at(-1);
  if (last && TASK_TERMINAL_EVENTS.includes(last.type)) {
    yield historyMessage(taskId, last);
    return;
  }
  let revision = last?.revision ?? -1;
  const feed = follow(
    { category: 'task', id: taskId, signal },
    {
      onOpen: async (resumed) =>
        resumed ? [] : (await events(taskId)).filter((event) => event.revision > revision).map((event) => historyMessage(taskId, event)),
    },
  );
  for await (const message of feed) {
    if (message.revision <= revision) continue; // already yielded from the history
    revision = message.revision;
    yield message;
    if (TASK_TERMINAL_EVENTS.includes(message.type)) return;
  }
}

/** The feed's query: lists as comma lists, nothing undefined. */
function feedQuery(filter: FeedFilter): FeedQuery {
  const query: FeedQuery = {};
  const list = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(',') : value);
  const category = list(filter.category);
  const type = list(filter.type);
  const channel = list(filter.channel);
  if (category !== undefined) query.category = category;
  if (filter.id !== undefined) query.id = filter.id;
  if (filter.owner !== undefined) query.owner = filter.owner;
  if (type !== undefined) query.type = type;
  if (channel !== undefined) query.channel = channel;
  return query;
}

/** A message of the feed, or null for one that is not a feed event (without an id, or its data not an event record). */
function feedMessage(event: EventSourceMessage): FeedMessage | null {
  if (event.id === undefined || event.id === '') return null;
  let record: { category?: unknown; id?: unknown; stream?: unknown; type?: unknown; revision?: unknown; data?: unknown; recordedAt?: unknown };
  try {
    record = JSON.parse(event.data) as typeof record;
  } catch {
    return null;
  }
  if (typeof record !== 'object' || record === null) return null;
  const { category, id, stream, type, revision, data, recordedAt } = record;
  if (typeof category !== 'string' || typeof id !== 'string' || typeof stream !== 'string' || typeof type !== 'string') return null;
  if (typeof revision !== 'number' || typeof recordedAt !== 'string') return null;
  return { id: event.id, category, resourceId: id, stream, type, revision, data: (data ?? {}) as Record<string, unknown>, recordedAt };
}

/** A task event read from its history, in the feed's shape (no feed id: it did not come through the feed). */
function historyMessage(taskId: string, event: HistoryEvent): FeedMessage {
  return {
    id: '',
    category: 'task',
    resourceId: taskId,
    stream: `task-${taskId}`,
    type: event.type,
    revision: event.revision,
    data: (event.data ?? {}) as Record<string, unknown>,
    recordedAt: event.recordedAt,
  };
}

/** The delay before reconnection attempt number `failures` (1, 2, …): doubling from the server's `retry:` or the base, capped, with ±20 % jitter. */
function backoff(failures: number, serverRetryMs: number | undefined): number {
  // A server's `retry: 0` is not a licence to spin: its reconnects still double, from 1 ms.
  const base = Math.max(serverRetryMs ?? RECONNECT_DELAYS.baseMs, RECONNECT_DELAYS.minMs);
  const delay = Math.min(base * 2 ** Math.min(failures - 1, 20), RECONNECT_DELAYS.maxMs);
  return delay * (0.8 + Math.random() * 0.4);
}

/** A 429's or 503's `Retry-After`, capped (a minimum: the backoff applies too). */
function retryAfterMs(error: HeraldError): number | undefined {
  const seconds = error instanceof HeraldRateLimitedError || error instanceof HeraldServerError ? error.retryAfterSeconds : undefined;
  return seconds === undefined ? undefined : Math.min(seconds * 1000, RECONNECT_DELAYS.maxMs);
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
