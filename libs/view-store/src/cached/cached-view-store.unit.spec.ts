import { ViewStore } from '../view-store.port';
import { CachedViewStore, withViewCache } from './cached-view-store';

interface V {
  id: string;
  revision: number;
  note: string;
}

/** A store that counts reads, and can hold a read until released (an async adapter). */
function countingStore() {
  const rows = new Map<string, V>();
  let reads = 0;
  let hold: Promise<void> | null = null;
  const store: ViewStore<V> = {
    save: async (v) => (rows.set(v.id, v), true),
    saveMany: async (vs) => (vs.forEach((v) => rows.set(v.id, v)), vs.length),
    get: async (id) => {
      reads++;
      const row = rows.get(id) ?? null;
      if (hold) await hold;
      return row;
    },
    getMany: async (ids) => ids.flatMap((id) => (rows.has(id) ? [rows.get(id)!] : [])),
    list: async () => ({ items: [...rows.values()], nextCursor: null }),
    clear: async () => rows.clear(),
  };
  const holdReads = (p: Promise<void> | null): void => {
    hold = p;
  };
  return { store, reads: () => reads, holdReads };
}

const v = (id: string, revision: number): V => ({ id, revision, note: `r${revision}` });

describe('CachedViewStore', () => {
  it('answers a repeated read from memory', async () => {
    const inner = countingStore();
    const cached = new CachedViewStore(inner.store, 10);
    await cached.save(v('a', 1));
    expect(await cached.get('a')).toEqual(v('a', 1));
    expect(await cached.get('a')).toEqual(v('a', 1));
    expect(inner.reads()).toBe(1);
  });

  it('reads the store again after this process writes the view, or clears them all', async () => {
    const inner = countingStore();
    const cached = new CachedViewStore(inner.store, 10);
    await cached.save(v('a', 1));
    await cached.get('a');
    await cached.saveMany([v('a', 2)]);
    expect(await cached.get('a')).toEqual(v('a', 2));
    await cached.clear();
    expect(await cached.get('a')).toBeNull();
    expect(inner.reads()).toBe(3);
  });

  it('reads the store again for a view the projector read, which another replica may have written', async () => {
    const inner = countingStore();
    const cached = new CachedViewStore(inner.store, 10);
    await cached.save(v('a', 1));
    await cached.get('a');
    await inner.store.save(v('a', 2)); // another replica's projector, through the shared store
    await cached.getMany(['a']); // this replica's projector finds it applied: nothing to write
    expect(await cached.get('a')).toEqual(v('a', 2));
  });

  it('does not remember a read that a write overtook', async () => {
    const inner = countingStore();
    const cached = new CachedViewStore(inner.store, 10);
    await cached.save(v('a', 1));
    let release!: () => void;
    inner.holdReads(new Promise<void>((r) => (release = r)));
    const slow = cached.get('a'); // reads revision 1, then waits
    await cached.save(v('a', 2));
    release();
    expect(await slow).toEqual(v('a', 1));
    inner.holdReads(null);
    expect(await cached.get('a')).toEqual(v('a', 2));
  });

  it('keeps at most its capacity, dropping the oldest', async () => {
    const inner = countingStore();
    const cached = new CachedViewStore(inner.store, 2);
    await cached.saveMany([v('a', 1), v('b', 1), v('c', 1)]);
    for (const id of ['a', 'b', 'c']) await cached.get(id); // a is dropped when c comes
    const before = inner.reads();
    await cached.get('b');
    await cached.get('c');
    expect(inner.reads()).toBe(before);
    await cached.get('a');
    expect(inner.reads()).toBe(before + 1);
  });

  it('is left out with a capacity of 0', () => {
    const inner = countingStore();
    expect(withViewCache(inner.store, 0)).toBe(inner.store);
  });
});
