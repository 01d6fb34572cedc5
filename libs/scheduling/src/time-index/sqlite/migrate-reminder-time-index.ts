import type { Database } from 'better-sqlite3';

/** The topic of reminder callbacks: what the time index held before it carried other topics. */
const CALLBACKS = 'callbacks';

/**
 * Before version 0.2 the index held reminder callbacks only, in
 * `time_index (reminder_id, attempt, …)`. Its pending entries move over,
 * hand-off marks included, so an upgrade neither loses nor repeats a callback.
 */
export function migrateReminderTimeIndex(db: Database): void {
  addHandedOffAt(db);
  const old = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'time_index'").get();
  if (!old) return;
  db.transaction(() => {
    db.prepare(
      // Staleness counted from the due time, as 0.1 did: the hand-off time was not kept.
      `INSERT OR IGNORE INTO due_entries (topic, key, sequence, due_at, handed_off, claim_expires, handed_off_at)
       SELECT ?, reminder_id, attempt, due_at, handed_off, claim_expires, due_at FROM time_index`,
    ).run(CALLBACKS);
    db.exec('DROP TABLE time_index');
  }).immediate();
}

/** due_entries of the first 0.2 builds lack the hand-off time: added, counted from the due time for what is already handed off. */
function addHandedOffAt(db: Database): void {
  const columns = db.prepare('PRAGMA table_info(due_entries)').all() as { name: string }[];
  if (columns.some((c) => c.name === 'handed_off_at')) return;
  db.transaction(() => {
    db.exec('ALTER TABLE due_entries ADD COLUMN handed_off_at INTEGER NOT NULL DEFAULT 0');
    db.exec('UPDATE due_entries SET handed_off_at = due_at WHERE handed_off = 1');
  }).immediate();
}
