import { ViewPage, ViewQuery, ViewShape, ViewStore } from '../view-store.port';

/**
 * An in-process cache in front of a view store, for GET by id: a read the
 * cache holds skips the store's query and JSON parse (~40 µs of a request on
 * the embedded app; `npm run bench:reads`). Kept true by invalidation, not by
 * copying writes in: every write of this process (the projector's saves, a
 * rebuild's clear) drops the entries it touches, so the next read goes to the
 * store, which alone decides which revision won. A process reading views it
 * does not project itself would read stale entries, which is why each Herald
 * service that serves views runs their projections (see ARCHITECTURE).
 * Bounded: the oldest entries go first. Views are returned as stored and must
 * not be mutated by callers (none is).
 */
export class CachedViewStore<V extends ViewShape> implements ViewStore<V> {
  private readonly entries = new Map<string, V>();
  /** Bumped by every write: a read that a write overtook is not remembered (it may predate the write). */
  private writes = 0;

  constructor(
    private readonly store: ViewStore<V>,
    private readonly capacity: number,
  ) {}

  async get(id: string): Promise<V | null> {
    const cached = this.entries.get(id);
    if (cached) return cached;
    const writesBefore = this.writes;
    const view = await this.store.get(id);
    if (view && this.writes === writesBefore) this.remember(view);
    return view;
  }

  /**
   * The projector's read before a batch: every view it reads is dropped too.
   * Where replicas share the store (a SQLite file, MongoDB), another replica
   * may have written the view already; this one then finds nothing to change
   * and writes nothing, so its read is the only sign that the view moved on.
   */
  async getMany(ids: readonly string[]): Promise<V[]> {
    this.writes++;
    for (const id of ids) this.entries.delete(id);
    return this.store.getMany(ids);
  }

  list(query: ViewQuery): Promise<ViewPage<V>> {
    return this.store.list(query);
  }

  async save(view: V): Promise<boolean> {
    this.forget([view]);
    return this.store.save(view);
  }

  async saveMany(views: readonly V[]): Promise<number> {
    this.forget(views);
    return this.store.saveMany(views);
  }

  async clear(): Promise<void> {
    this.writes++;
    this.entries.clear();
    await this.store.clear();
  }

  private forget(views: readonly V[]): void {
    this.writes++;
    for (const view of views) this.entries.delete(view.id);
  }

  private remember(view: V): void {
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(view.id, view);
  }
}

/** The cache in front of `store`, or `store` itself when `capacity` is 0 (VIEW_CACHE_ENTRIES=0). */
export function withViewCache<V extends ViewShape>(store: ViewStore<V>, capacity: number): ViewStore<V> {
  return capacity > 0 ? new CachedViewStore(store, capacity) : store;
}
