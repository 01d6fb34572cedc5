import Database from 'better-sqlite3';
import { snapshotStoreContract } from '../snapshot-store.contract';
import { SqliteSnapshotStore } from './sqlite-snapshot-store';

snapshotStoreContract('sqlite', async () => {
  const db = new Database(':memory:');
  return { store: new SqliteSnapshotStore(db), close: async () => void db.close() };
});
