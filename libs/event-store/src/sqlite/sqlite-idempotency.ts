import type { Database, Statement } from 'better-sqlite3';
import { legacyEventId } from '../event-ids';
import { AppendResult, EventToAppend, ExpectedRevision } from '../event-store.port';

interface StoredId {
  id: string | null;
  stream: string;
  revision: number;
  position: number;
}

/**
 * EventStoreDB's idempotency rule on SQLite: an append whose ids already sit
 * in the stream, in order, right after the expected revision (or anywhere
 * with `any`/`stream_exists`) gets the original result back. Every lookup
 * goes through UNIQUE (stream, revision), and none runs on the common path:
 * only after a failed revision check, or for `any`/`stream_exists` appends
 * that carry ids (which no revision check can catch).
 */
export class SqliteIdempotency {
  private readonly revisionOfId: Statement;
  private readonly range: Statement;

  constructor(db: Database) {
    // Walks the stream's rows (the index's prefix): streams are short, and only loose appends ask.
    this.revisionOfId = db.prepare('SELECT revision FROM events WHERE stream = ? AND id = ?');
    this.range = db.prepare('SELECT id, stream, revision, position FROM events WHERE stream = ? AND revision >= ? ORDER BY revision LIMIT ?');
  }

  /** After a failed revision check: were exactly these events appended right after `expected`? */
  afterConflict(stream: string, events: readonly EventToAppend[], expected: ExpectedRevision): AppendResult | null {
    const ids = idsOf(events);
    if (!ids || (expected !== 'no_stream' && typeof expected !== 'number')) return null;
    return this.matchFrom(stream, ids, expected === 'no_stream' ? 0 : expected + 1);
  }

  /**
   * Before an `any`/`stream_exists` append: null when the stream does not
   * hold its first id (a new write), the original result when it holds them
   * all in order from there, 'overlap' when only some (a conflict).
   */
  beforeLooseAppend(stream: string, events: readonly EventToAppend[]): AppendResult | 'overlap' | null {
    const ids = idsOf(events);
    const first = ids && (this.revisionOfId.get(stream, ids[0]) as { revision: number } | undefined);
    if (!ids || !first) return null;
    return this.matchFrom(stream, ids, first.revision) ?? 'overlap';
  }

  private matchFrom(stream: string, ids: string[], revision: number): AppendResult | null {
    const rows = this.range.all(stream, revision, ids.length) as StoredId[];
    if (rows.length !== ids.length || rows.some((row, i) => idOf(row) !== ids[i])) return null;
    const last = rows[rows.length - 1];
    return { nextExpectedRevision: last.revision, position: String(last.position) };
  }
}

/** Lower-cased ids, or null when any event has none: nothing to recognise it by. */
function idsOf(events: readonly EventToAppend[]): string[] | null {
  const ids = events.map((e) => e.id?.toLowerCase());
  return ids.every((id) => id !== undefined) ? ids : null;
}

function idOf(row: StoredId): string {
  return row.id ?? legacyEventId(row.stream, row.revision);
}
