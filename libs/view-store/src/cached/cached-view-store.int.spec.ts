import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '@herald/platform/sqlite/open-sqlite';
import { viewStoreContract } from '../contract/view-store.contract';
import { SqliteViewStore } from '../sqlite/sqlite-view-store';
import { CachedViewStore } from './cached-view-store';

// The cache must keep every promise of the port: the one contract, through it (a small capacity, so eviction runs too).
viewStoreContract('sqlite behind the in-process cache', async (definition) => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-cached-views-'));
  const db = openSqlite(join(dir, 'views.sqlite'));
  return {
    store: new CachedViewStore(new SqliteViewStore(db, definition), 3),
    close: async () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
