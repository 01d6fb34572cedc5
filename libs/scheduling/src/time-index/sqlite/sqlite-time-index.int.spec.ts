import { openSqlite } from '@herald/platform/sqlite/open-sqlite';
import { timeIndexContract } from '../contract/time-index.contract';
import { SqliteTimeIndex } from './sqlite-time-index';

timeIndexContract('sqlite', async () => {
  const db = openSqlite(':memory:');
  return { index: new SqliteTimeIndex(db), close: async () => void db.close() };
});
