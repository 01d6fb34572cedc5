import { openSqlite } from '@herald/platform/sqlite/open-sqlite';
import { reminderReadStoreContract } from '../contract/reminder-read-store.contract';
import { SqliteReminderReadStore } from './sqlite-reminder-read-store';

reminderReadStoreContract('sqlite', async () => {
  const db = openSqlite(':memory:');
  return { store: new SqliteReminderReadStore(db), close: async () => void db.close() };
});
