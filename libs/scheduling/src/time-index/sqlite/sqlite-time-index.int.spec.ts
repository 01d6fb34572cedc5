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
