import type { Database, Statement, Transaction } from 'better-sqlite3';
import { CallbackDue } from '../../callback-due';
import { TimeIndex } from '../time-index.port';

export class SqliteTimeIndex implements TimeIndex {
  private readonly statements: Record<'put' | 'remove' | 'due' | 'mark' | 'reset' | 'size', Statement>;
  private readonly markMany: Transaction<(entries: readonly CallbackDue[]) => void>;

  constructor(db: Database) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS time_index (
        reminder_id TEXT PRIMARY KEY,
        attempt     INTEGER NOT NULL,
        due_at      INTEGER NOT NULL,
        handed_off  INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX IF NOT EXISTS time_index_pending ON time_index (handed_off, due_at);
    `);
    this.statements = {
      put: db.prepare(`
        INSERT INTO time_index (reminder_id, attempt, due_at, handed_off) VALUES (?, ?, ?, 0)
        ON CONFLICT (reminder_id) DO UPDATE SET
          due_at = excluded.due_at,
          handed_off = CASE WHEN time_index.attempt = excluded.attempt THEN time_index.handed_off ELSE 0 END,
          attempt = excluded.attempt
        WHERE excluded.attempt >= time_index.attempt`),
      remove: db.prepare('DELETE FROM time_index WHERE reminder_id = ?'),
      due: db.prepare(
        'SELECT reminder_id, attempt, due_at FROM time_index WHERE handed_off = 0 AND due_at <= ? ORDER BY due_at LIMIT ?',
      ),
      mark: db.prepare('UPDATE time_index SET handed_off = 1 WHERE reminder_id = ? AND attempt = ?'),
      reset: db.prepare('UPDATE time_index SET handed_off = 0 WHERE handed_off = 1'),
      size: db.prepare('SELECT COUNT(*) AS n FROM time_index'),
    };
    this.markMany = db.transaction((entries: readonly CallbackDue[]) => {
      for (const e of entries) this.statements.mark.run(e.reminderId, e.attempt);
    });
  }

  async put(entry: CallbackDue): Promise<void> {
    this.statements.put.run(entry.reminderId, entry.attempt, entry.dueAt);
  }

  async remove(reminderId: string): Promise<void> {
    this.statements.remove.run(reminderId);
  }

  async due(until: number, limit: number): Promise<CallbackDue[]> {
    const rows = this.statements.due.all(until, limit) as { reminder_id: string; attempt: number; due_at: number }[];
    return rows.map((r) => ({ reminderId: r.reminder_id, attempt: r.attempt, dueAt: r.due_at }));
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
