import type { Database, Statement, Transaction } from 'better-sqlite3';
import { CallbackDue } from '../../callback-due';
import { ClaimOptions, TimeIndex } from '../time-index.port';

interface Row {
  reminder_id: string;
  attempt: number;
  due_at: number;
}

export class SqliteTimeIndex implements TimeIndex {
  private readonly statements: Record<'put' | 'remove' | 'claim' | 'mark' | 'reset' | 'size', Statement>;
  private readonly markMany: Transaction<(entries: readonly CallbackDue[]) => void>;
  private readonly applyMany: Transaction<(put: readonly CallbackDue[], remove: readonly string[]) => void>;

  constructor(db: Database) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS time_index (
        reminder_id   TEXT PRIMARY KEY,
        attempt       INTEGER NOT NULL,
        due_at        INTEGER NOT NULL,
        handed_off    INTEGER NOT NULL DEFAULT 0,
        claim_expires INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX IF NOT EXISTS time_index_pending ON time_index (handed_off, due_at);
    `);
    const unchanged = 'time_index.attempt = excluded.attempt';
    this.statements = {
      put: db.prepare(`
        INSERT INTO time_index (reminder_id, attempt, due_at) VALUES (?, ?, ?)
        ON CONFLICT (reminder_id) DO UPDATE SET
          due_at = excluded.due_at,
          handed_off = CASE WHEN ${unchanged} THEN time_index.handed_off ELSE 0 END,
          claim_expires = CASE WHEN ${unchanged} THEN time_index.claim_expires ELSE 0 END,
          attempt = excluded.attempt
        WHERE excluded.attempt >= time_index.attempt`),
      remove: db.prepare('DELETE FROM time_index WHERE reminder_id = ?'),
      // One statement, so two processes sharing the file can never claim the same row.
      claim: db.prepare(`
        UPDATE time_index SET claim_expires = @expires, handed_off = 0
        WHERE reminder_id IN (
          SELECT reminder_id FROM time_index
          WHERE due_at <= @until AND ((handed_off = 0 AND claim_expires <= @now) OR (handed_off = 1 AND due_at < @stale))
          ORDER BY due_at LIMIT @limit)
        RETURNING reminder_id, attempt, due_at`),
      mark: db.prepare('UPDATE time_index SET handed_off = 1, claim_expires = 0 WHERE reminder_id = ? AND attempt = ?'),
      reset: db.prepare('UPDATE time_index SET handed_off = 0, claim_expires = 0 WHERE handed_off = 1 OR claim_expires > 0'),
      size: db.prepare('SELECT COUNT(*) AS n FROM time_index'),
    };
    this.markMany = db.transaction((entries: readonly CallbackDue[]) => {
      for (const e of entries) this.statements.mark.run(e.reminderId, e.attempt);
    });
    this.applyMany = db.transaction((put: readonly CallbackDue[], remove: readonly string[]) => {
      for (const e of put) this.statements.put.run(e.reminderId, e.attempt, e.dueAt);
      for (const id of remove) this.statements.remove.run(id);
    });
  }

  async apply(changes: { put: readonly CallbackDue[]; remove: readonly string[] }): Promise<void> {
    if (changes.put.length + changes.remove.length > 0) this.applyMany(changes.put, changes.remove);
  }

  async put(entry: CallbackDue): Promise<void> {
    this.statements.put.run(entry.reminderId, entry.attempt, entry.dueAt);
  }

  async remove(reminderId: string): Promise<void> {
    this.statements.remove.run(reminderId);
  }

  async claimDue(o: ClaimOptions): Promise<CallbackDue[]> {
    const rows = this.statements.claim.all({
      expires: o.now + o.claimTtlMs,
      until: o.until,
      now: o.now,
      stale: o.now - o.staleAfterMs,
      limit: o.limit,
    }) as Row[];
    return rows.map((r) => ({ reminderId: r.reminder_id, attempt: r.attempt, dueAt: r.due_at })).sort((a, b) => a.dueAt - b.dueAt);
  }

  async markHandedOff(entries: readonly CallbackDue[]): Promise<void> {
    this.markMany(entries);
  }

  async resetHandOffs(): Promise<void> {
    this.statements.reset.run();
  }

  async size(): Promise<number> {
    return (this.statements.size.get() as { n: number }).n;
  }
}
