import type { Database } from 'better-sqlite3';
import type { Db } from 'mongodb';
import { MongoViewStore, SqliteViewStore, ViewDefinition, ViewShape, ViewStore, withViewCache } from '@herald/view-store';

/** Opens the store of a capability's view definition on the adapter the service's storage chose. */
export interface ViewStores {
  open<V extends ViewShape>(definition: ViewDefinition<V>): Promise<ViewStore<V>>;
}

export const VIEW_STORES = Symbol('VIEW_STORES');

export const sqliteViewStores = (db: () => Database): ViewStores => ({
  open: async (definition) => new SqliteViewStore(db(), definition),
});

export const mongoViewStores = (db: Db): ViewStores => ({
  open: async (definition) => {
    const store = new MongoViewStore(db, definition);
    await store.init();
    return store;
  },
});

/**
 * Every view store opened behind an in-process cache for reads by id
 * (VIEW_CACHE_ENTRIES per view; 0: none). Each capability opens its views
 * once per process and projects into that same store, whose writes keep the
 * cache true (CachedViewStore).
 */
export const cachedViewStores = (stores: ViewStores, entries: number): ViewStores => ({
  open: async (definition) => withViewCache(await stores.open(definition), entries),
});
