import type { Database, Statement, Transaction } from 'better-sqlite3';
import { DueEntry, DueEntryRef } from '../../due-entry';
import { ClaimOptions, TimeIndex, TimeIndexChanges } from '../time-index.port';
import { migrateReminderTimeIndex } from './migrate-reminder-time-index';

interface Row {
  topic: string;
  key: string;
  sequence: number;
  due_at: number;
}

const toEntry = (r: Row): DueEntry => ({ topic: r.topic, key: r.key, sequence: r.sequence, dueAt: r.due_at });

export class SqliteTimeIndex implements TimeIndex {
  private readonly statements: Record<'put' | 'remove' | 'claim' | 'claimFresh' | 'mark' | 'reset' | 'size' | 'clear', Statement>;
  private readonly markMany: Transaction<(entries: readonly DueEntry[], now: number) => void>;
  private readonly applyMany: Transaction<(changes: TimeIndexChanges) => void>;

  constructor(db: Database) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS due_entries (
        topic         TEXT    NOT NULL,
        key           TEXT    NOT NULL,
        sequence      INTEGER NOT NULL,
        due_at        INTEGER NOT NULL,
        handed_off    INTEGER NOT NULL DEFAULT 0,
        claim_expires INTEGER NOT NULL DEFAULT 0,
        handed_off_at INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (topic, key)
      );
      CREATE INDEX IF NOT EXISTS due_entries_pending ON due_entries (handed_off, due_at);
    `);
    migrateReminderTimeIndex(db);
    const unchanged = 'due_entries.sequence = excluded.sequence';
    this.statements = {
      put: db.prepare(`
        INSERT INTO due_entries (topic, key, sequence, due_at) VALUES (@topic, @key, @sequence, @dueAt)
        ON CONFLICT (topic, key) DO UPDATE SET
          due_at = excluded.due_at,
          handed_off = CASE WHEN ${unchanged} THEN due_entries.handed_off ELSE 0 END,
          claim_expires = CASE WHEN ${unchanged} THEN due_entries.claim_expires ELSE 0 END,
          sequence = excluded.sequence
        WHERE excluded.sequence >= due_entries.sequence`),
      remove: db.prepare('DELETE FROM due_entries WHERE topic = @topic AND key = @key'),
      // One statement, so two processes sharing the file can never claim the same row.
      claim: db.prepare(`
        UPDATE due_entries SET claim_expires = @expires, handed_off = 0
        WHERE rowid IN (
          SELECT rowid FROM due_entries
          WHERE due_at <= @until AND ((handed_off = 0 AND claim_expires <= @now) OR (handed_off = 1 AND handed_off_at < @stale))
          ORDER BY due_at LIMIT @limit)
        RETURNING topic, key, sequence, due_at`),
      // Without the stale branch: one range of the (handed_off, due_at) index, whatever is handed off.
      claimFresh: db.prepare(`
        UPDATE due_entries SET claim_expires = @expires, handed_off = 0
        WHERE rowid IN (
          SELECT rowid FROM due_entries
          WHERE handed_off = 0 AND due_at <= @until AND claim_expires <= @now
          ORDER BY due_at LIMIT @limit)
        RETURNING topic, key, sequence, due_at`),
      mark: db.prepare(
        'UPDATE due_entries SET handed_off = 1, claim_expires = 0, handed_off_at = @now WHERE topic = @topic AND key = @key AND sequence = @sequence',
      ),
      reset: db.prepare('UPDATE due_entries SET handed_off = 0, claim_expires = 0 WHERE handed_off = 1 OR claim_expires > 0'),
      size: db.prepare('SELECT COUNT(*) AS n FROM due_entries'),
      clear: db.prepare('DELETE FROM due_entries WHERE topic IN (SELECT value FROM json_each(?))'),
    };
    this.markMany = db.transaction((entries: readonly DueEntry[], now: number) => {
      for (const e of entries) this.statements.mark.run(ref(e, { sequence: e.sequence, now }));
    });
    this.applyMany = db.transaction((changes: TimeIndexChanges) => {
      for (const e of changes.put) this.statements.put.run(ref(e, { sequence: e.sequence, dueAt: e.dueAt }));
      for (const r of changes.remove) this.statements.remove.run(ref(r));
    });
  }

  async apply(changes: TimeIndexChanges): Promise<void> {
    if (changes.put.length + changes.remove.length > 0) this.applyMany(changes);
  }

  async put(entry: DueEntry): Promise<void> {
    this.applyMany({ put: [entry], remove: [] });
  }

  async remove(r: DueEntryRef): Promise<void> {
    this.statements.remove.run(ref(r));
  }

  async claimDue(o: ClaimOptions): Promise<DueEntry[]> {
    const params = { expires: o.now + o.claimTtlMs, until: o.until, now: o.now, limit: o.limit };
    const rows = (
      o.staleAfterMs === undefined ? this.statements.claimFresh.all(params) : this.statements.claim.all({ ...params, stale: o.now - o.staleAfterMs })
    ) as Row[];
    return rows.map(toEntry).sort((a, b) => a.dueAt - b.dueAt);
  }

  async markHandedOff(entries: readonly DueEntry[], now: number): Promise<void> {
    this.markMany(entries, now);
  }

  async resetHandOffs(): Promise<void> {
    this.statements.reset.run();
  }

  async clear(topics: readonly string[]): Promise<void> {
    this.statements.clear.run(JSON.stringify(topics));
  }

  async size(): Promise<number> {
    return (this.statements.size.get() as { n: number }).n;
  }
}

/** Named parameters of one entry: better-sqlite3 refuses named parameters the statement does not use. */
function ref(r: DueEntryRef, extra: Record<string, number> = {}) {
  return { topic: r.topic, key: r.key, ...extra };
}
