import type { Database } from 'better-sqlite3';

/** The topic of reminder callbacks: what the time index held before it carried other topics. */
const CALLBACKS = 'callbacks';

/**
 * Before version 0.2 the index held reminder callbacks only, in
 * `time_index (reminder_id, attempt, …)`. Its pending entries move over,
 * hand-off marks included, so an upgrade neither loses nor repeats a callback.
 */
export function migrateReminderTimeIndex(db: Database): void {
  const old = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'time_index'").get();
  if (!old) return;
  db.transaction(() => {
    db.prepare(
      `INSERT OR IGNORE INTO due_entries (topic, key, sequence, due_at, handed_off, claim_expires)
       SELECT ?, reminder_id, attempt, due_at, handed_off, claim_expires FROM time_index`,
    ).run(CALLBACKS);
    db.exec('DROP TABLE time_index');
  }).immediate();
}
