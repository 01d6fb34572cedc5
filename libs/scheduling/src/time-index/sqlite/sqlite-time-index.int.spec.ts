import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '@herald/platform/sqlite/open-sqlite';
import { timeIndexContract } from '../contract/time-index.contract';
import { SqliteTimeIndex } from './sqlite-time-index';

timeIndexContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-ti-'));
  const file = join(dir, 'index.sqlite');
  const dbs = [openSqlite(file)];
  return {
    index: new SqliteTimeIndex(dbs[0]),
    // A second connection to the same file: another scheduler process.
    openSecond: async () => new SqliteTimeIndex(dbs[dbs.push(openSqlite(file)) - 1]),
    close: async () => {
      dbs.forEach((db) => db.close());
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SqliteTimeIndex upgrade from the reminder-only time_index table', () => {
  it('moves pending callbacks over with their hand-off marks and drops the old table', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'herald-ti-'));
    const db = openSqlite(join(dir, 'index.sqlite'));
    try {
      // The schema of version 0.1, as it is on disk in existing data dirs.
      db.exec(`CREATE TABLE time_index (reminder_id TEXT PRIMARY KEY, attempt INTEGER NOT NULL, due_at INTEGER NOT NULL,
                 handed_off INTEGER NOT NULL DEFAULT 0, claim_expires INTEGER NOT NULL DEFAULT 0)`);
      db.prepare('INSERT INTO time_index VALUES (?, ?, ?, ?, 0)').run('r-waiting', 2, 500, 0);
      db.prepare('INSERT INTO time_index VALUES (?, ?, ?, ?, 0)').run('r-handed', 1, 400, 1);
      const index = new SqliteTimeIndex(db);
      const claimed = await index.claimDue({ now: 1_000, until: 1_000, limit: 10, claimTtlMs: 500, staleAfterMs: 60_000 });
      expect(claimed).toEqual([{ topic: 'callbacks', key: 'r-waiting', sequence: 2, dueAt: 500 }]);
      expect(await index.size()).toBe(2);
      expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'time_index'").get()).toBeUndefined();
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
