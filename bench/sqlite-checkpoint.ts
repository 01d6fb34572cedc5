import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './support';

/**
 * What SQLite's automatic WAL checkpoint costs the committing thread: the same
 * commits with `wal_autocheckpoint` at its default (1,000 pages) and off (what
 * Herald's writers do, a worker thread checkpointing instead). Prints µs per commit.
 */
function run(rowsPerCommit: number, autoCheckpoint: number, commits = 20_000): number {
  const dir = tempDir('sqlite-checkpoint');
  const db = new Database(join(dir, 'x.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma(`wal_autocheckpoint = ${autoCheckpoint}`);
  db.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT, k TEXT, d TEXT, n INTEGER);
    CREATE UNIQUE INDEX tk ON t (k); CREATE INDEX tn ON t (n); CREATE INDEX td ON t (d)`);
  const insert = db.prepare('INSERT INTO t (s, k, d, n) VALUES (?, ?, ?, ?)');
  const commit = db.transaction((n: number) => {
    for (let i = 0; i < n; i++) insert.run('x'.repeat(400), `k${Math.random()}`, String(Math.random()), Math.floor(Math.random() * 1e9));
  });
  const started = process.hrtime.bigint();
  for (let i = 0; i < commits; i++) commit(rowsPerCommit);
  const micros = Number(process.hrtime.bigint() - started) / 1e3 / commits;
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return micros;
}

for (const rows of [1, 10]) {
  for (const auto of [1_000, 0]) {
    console.log(`sqlite commit of ${rows} row(s), 3 indexes, wal_autocheckpoint=${auto}: ${run(rows, auto).toFixed(1)} µs`);
  }
}
