import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type SqliteSynchronous = 'OFF' | 'NORMAL' | 'FULL' | 'EXTRA';

export interface SqliteOptions {
  /**
   * WAL + NORMAL survives a process crash (kill -9) without losing a
   * committed transaction; only an OS crash or power cut can drop the last
   * ones. FULL closes that gap at the cost of an fsync per commit.
   */
  readonly synchronous?: SqliteSynchronous;
  /**
   * false when a WalCheckpointer copies the WAL back from another thread:
   * SQLite then never checkpoints inside this connection's commits.
   */
  readonly autoCheckpoint?: boolean;
}

/** Opens (creating if needed) a SQLite file tuned for one writer and many readers. */
export function openSqlite(file: string, options: SqliteOptions = {}): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
  // Several processes may share the file (separate services over one store):
  // wait for the write lock instead of failing with SQLITE_BUSY at once.
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  if (options.autoCheckpoint === false) db.pragma('wal_autocheckpoint = 0');
  return db;
}
