import type { Database, Statement, Transaction } from 'better-sqlite3';
import { SubscriptionRegistry } from '../subscriptions/subscription-registry';
import { EventEmitter } from 'node:events';
import { Clock } from '@herald/kernel';
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
import { createEventStoreSchema } from './sqlite-schema';
import { SqlitePollingSubscription } from './sqlite-polling-subscription';

interface Row {
  position: number;
  stream: string;
  revision: number;
  type: string;
  version: number;
  data: string;
  metadata: string;
  recorded_at: number;
}

export interface SqliteEventStoreOptions {
  /**
   * How often a live subscription looks for events appended by *other*
   * processes sharing the file. Appends from this process wake it at once.
   */
  readonly pollIntervalMs?: number;
}

interface PendingAppend {
  stream: string;
  events: readonly EventToAppend[];
  expected: ExpectedRevision;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

/**
 * Event store on one SQLite table. Appends run in an IMMEDIATE transaction,
 * so the revision check and the insert are atomic even when several
 * processes share the file (WAL mode); UNIQUE(stream, revision) backs it up.
 *
 * Group commit: appends requested in the same turn of the event loop share
 * one transaction, each in its own savepoint, so a conflict fails only its
 * own append and a burst of commands pays for one commit.
 */
export class SqliteEventStore implements EventStore {
  private readonly appended = new EventEmitter().setMaxListeners(0);
  private readonly statements: Record<'head' | 'insert' | 'stream' | 'after' | 'afterPrefix', Statement>;
  private readonly subscriptions = new SubscriptionRegistry();
  private readonly pollIntervalMs: number;
  private readonly appendTransaction: Transaction<SqliteEventStore['appendInTransaction']>;
  private readonly groupTransaction: Transaction<(batch: PendingAppend[]) => (AppendResult | { error: unknown })[]>;
  private pending: PendingAppend[] = [];

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    options: SqliteEventStoreOptions = {},
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
    createEventStoreSchema(db);
    this.statements = {
      head: db.prepare('SELECT MAX(revision) AS revision FROM events WHERE stream = ?'),
      insert: db.prepare(
        'INSERT INTO events (stream, revision, type, version, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      stream: db.prepare('SELECT * FROM events WHERE stream = ? ORDER BY revision'),
      after: db.prepare('SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?'),
      afterPrefix: db.prepare('SELECT * FROM events WHERE position > ? AND substr(stream, 1, ?) = ? ORDER BY position LIMIT ?'),
    };
    this.appendTransaction = db.transaction(this.appendInTransaction.bind(this));
    // Inside a transaction, better-sqlite3 runs a nested transaction as a savepoint.
    this.groupTransaction = db.transaction((batch: PendingAppend[]) =>
      batch.map((p) => {
        try {
          return this.appendTransaction(p.stream, p.events, p.expected);
        } catch (error) {
          return { error };
        }
      }),
    );
  }

  append(stream: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) return Promise.reject(new Error('append needs at least one event'));
    return new Promise((resolve, reject) => {
      if (this.pending.push({ stream, events, expected, resolve, reject }) === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    let outcomes: (AppendResult | { error: unknown })[];
    try {
      outcomes = this.groupTransaction.immediate(batch);
    } catch (error) {
      batch.forEach((p) => p.reject(error)); // the commit itself failed (e.g. the file stayed locked)
      return;
    }
    batch.forEach((p, i) => {
      const outcome = outcomes[i];
      if ('error' in outcome) p.reject(outcome.error);
      else p.resolve(outcome);
    });
    this.appended.emit('appended');
  }

  private appendInTransaction(stream: string, events: readonly EventToAppend[], expected: ExpectedRevision): AppendResult {
    const head = (this.statements.head.get(stream) as { revision: number | null }).revision;
    assertExpected(stream, expected, head);
    const recordedAt = this.clock.now().getTime();
    let revision = head ?? -1;
    let position = 0;
    for (const event of events) {
      revision += 1;
      const info = this.statements.insert.run(
        stream,
        revision,
        event.type,
        event.version,
        JSON.stringify(event.data),
        JSON.stringify(event.metadata ?? {}),
        recordedAt,
      );
      position = Number(info.lastInsertRowid);
    }
    return { nextExpectedRevision: revision, position: String(position) };
  }

  async readStream(stream: string): Promise<RecordedEvent[]> {
    return (this.statements.stream.all(stream) as Row[]).map(toRecorded);
  }

  /** A page of the global log after `after`; the building block of subscriptions and replays. */
  readAfter(after: LogPosition | null, limit: number, streamPrefix?: string): RecordedEvent[] {
    const from = after === null ? 0 : Number(after);
    const rows = streamPrefix
      ? this.statements.afterPrefix.all(from, streamPrefix.length, streamPrefix, limit)
      : this.statements.after.all(from, limit);
    return (rows as Row[]).map(toRecorded);
  }

  subscribeToAll(
    options: SubscribeOptions,
    handler: EventHandler,
    onError: (error: unknown, events: RecordedEvent[]) => void = () => undefined,
  ): Subscription {
    const subscription = new SqlitePollingSubscription(
      (after, limit) => this.readAfter(after, limit, options.streamPrefix),
      this.appended,
      handler,
      onError,
      this.pollIntervalMs,
    );
    subscription.start(options.after);
    return this.subscriptions.track(subscription);
  }

  async headPosition(): Promise<LogPosition | null> {
    const row = this.db.prepare('SELECT MAX(position) AS position FROM events').get() as { position: number | null };
    return row.position === null ? null : String(row.position);
  }

  async close(): Promise<void> {
    await this.subscriptions.stopAll();
  }
}

function assertExpected(stream: string, expected: ExpectedRevision, head: number | null): void {
  const actual = head ?? 'no_stream';
  const ok =
    expected === 'any' ||
    (expected === 'no_stream' && head === null) ||
    (expected === 'stream_exists' && head !== null) ||
    (typeof expected === 'number' && head === expected);
  if (!ok) throw new WrongExpectedRevisionError(stream, expected, actual);
}

function toRecorded(row: Row): RecordedEvent {
  return {
    stream: row.stream,
    revision: row.revision,
    position: String(row.position),
    type: row.type,
    version: row.version,
    data: JSON.parse(row.data),
    metadata: JSON.parse(row.metadata),
    recordedAt: new Date(row.recorded_at),
  };
}
