import type { Database } from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ModuleKind, ScriptTarget, transpileModule } from 'typescript';
import { eventually } from '@herald/testing';
import { openSqlite } from './open-sqlite';
import { WalCheckpointer } from './wal-checkpointer';

const size = (file: string) => statSync(file).size;
const row = 'x'.repeat(4_000); // a page and an overflow page per row

describe('WalCheckpointer (real SQLite file, worker thread)', () => {
  let dir: string;
  let file: string;
  let db: Database;
  let checkpointer: WalCheckpointer | null;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'herald-wal-'));
    file = join(dir, 'test.sqlite');
    db = openSqlite(file, { autoCheckpoint: false });
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT NOT NULL)');
    checkpointer = null;
  });

  afterEach(async () => {
    await checkpointer?.stop();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const insert = (rows: number) => {
    const statement = db.prepare('INSERT INTO t (s) VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < rows; i++) statement.run(row);
    })();
  };

  it('copies committed pages into the database file, which the committing connection no longer does', async () => {
    insert(2_000); // ~16 MB: well past the 1,000 pages at which SQLite would checkpoint inside the commit
    const before = size(file);
    expect(before).toBeLessThan(1024 * 1024); // everything still in the WAL

    checkpointer = new WalCheckpointer(file, { intervalMs: 20, restartBytes: 64 * 1024 * 1024 });
    await eventually(
      () => size(file),
      (n) => n > 8_000_000,
      { what: 'the database file to hold the rows' },
    );
  });

  it('keeps the WAL bounded under a steady stream of commits by restarting it past the limit', async () => {
    checkpointer = new WalCheckpointer(file, { intervalMs: 10, restartBytes: 256 * 1024 });
    // 4,000 commits of a row each: ~50 MB through the WAL, all of which stays in it when only
    // passive checkpoints run (measured). Like a server's, this event loop turns between commits,
    // so the worker can take the write lock; its busy waits let the WAL run past the limit (10–15 MB seen).
    for (let i = 0; i < 4_000; i++) {
      insert(1);
      await new Promise((r) => setImmediate(r));
    }
    expect(size(`${file}-wal`)).toBeLessThan(25 * 1024 * 1024);
    expect((db.prepare('SELECT COUNT(*) AS n FROM t').get() as { n: number }).n).toBe(4_000);
  });

  it('stops after a last checkpoint, leaving every row readable', async () => {
    checkpointer = new WalCheckpointer(file, { intervalMs: 60_000, restartBytes: 64 * 1024 * 1024 });
    insert(500);
    await checkpointer.stop();
    checkpointer = null;
    expect(size(file)).toBeGreaterThan(2_000_000);
    expect((db.prepare('SELECT COUNT(*) AS n FROM t').get() as { n: number }).n).toBe(500);
  });

  it('keeps a process with nothing else to do alive until it has stopped, so what awaits stop() runs', async () => {
    // In a process of its own: jest's event loop never runs dry. The module as plain JavaScript, then a caller
    // like `npm run replay`'s, whose last step (printing, exiting with a code) comes after awaiting stop().
    const module = transpileModule(readFileSync(join(__dirname, 'wal-checkpointer.ts'), 'utf8'), {
      compilerOptions: { module: ModuleKind.CommonJS, target: ScriptTarget.ES2022 },
    }).outputText;
    const caller = `new WalCheckpointer(${JSON.stringify(file)}, { intervalMs: 60_000, restartBytes: 1e9 }).stop().then(() => console.log('stopped'));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', `${module}\n${caller}`], { cwd: __dirname, timeout: 20_000 });
    expect(stdout).toBe('stopped\n');
  });
});
