import { randomUUID } from 'node:crypto';
import { InvalidCursorError, ReminderReadStore, ReminderView } from '../reminder-read-store.port';

export function aReminderView(overrides: Partial<ReminderView> = {}): ReminderView {
  return {
    id: randomUUID(),
    status: 'Active',
    dueAt: '2026-11-23T09:00:30.123Z',
    nextAttemptAt: '2026-11-23T09:00:30.123Z',
    address: 'https://example.com/hook',
    payload: { a: [1, 2, { b: null }] },
    headerNames: ['Authorization'],
    maxAttempts: 3,
    timeoutMs: 5000,
    attempts: 0,
    lastError: null,
    lastStatusCode: null,
    createdAt: '2026-11-23T09:00:00.000Z',
    updatedAt: '2026-11-23T09:00:00.000Z',
    completedAt: null,
    failedAt: null,
    cancelledAt: null,
    revision: 0,
    ...overrides,
  };
}

/** Every ReminderReadStore adapter passes this; `open` must hand out an empty store. */
export function reminderReadStoreContract(name: string, open: () => Promise<{ store: ReminderReadStore; close(): Promise<void> }>) {
  describe(`ReminderReadStore contract: ${name}`, () => {
    let store: ReminderReadStore;
    let close: () => Promise<void>;
    beforeEach(async () => ({ store, close } = await open()));
    afterEach(() => close());

    it('stores and returns a view unchanged', async () => {
      const view = aReminderView();
      expect(await store.save(view)).toBe(true);
      expect(await store.get(view.id)).toEqual(view);
    });

    it('returns null for an unknown id', async () => {
      expect(await store.get(randomUUID())).toBeNull();
    });

    it('applies a later revision and ignores the same or an earlier one', async () => {
      const v0 = aReminderView();
      const v1 = { ...v0, status: 'Completed' as const, revision: 1 };
      await store.save(v0);
      expect(await store.save(v1)).toBe(true);
      expect(await store.save({ ...v0, status: 'Cancelled' })).toBe(false);
      expect(await store.save({ ...v1, status: 'Failed' })).toBe(false);
      expect(await store.get(v0.id)).toEqual(v1);
    });

    it('saves and reads many at once, with the same revision guard', async () => {
      const [a, b, c] = [aReminderView(), aReminderView(), aReminderView()];
      await store.save({ ...b, revision: 3 });
      expect(await store.saveMany([a, { ...b, revision: 2 }, c])).toBe(2);
      const found = await store.getMany([a.id, b.id, c.id, 'f5f0a5a4-0000-4000-8000-000000000000']);
      expect(found.sort((x, y) => x.id.localeCompare(y.id))).toEqual([a, { ...b, revision: 3 }, c].sort((x, y) => x.id.localeCompare(y.id)));
      expect(await store.getMany([])).toEqual([]);
      expect(await store.saveMany([])).toBe(0);
    });

    describe('list', () => {
      const minute = (m: number) => new Date(Date.UTC(2026, 10, 23, 9, m)).toISOString();
      let views: ReminderView[];
      beforeEach(async () => {
        views = Array.from({ length: 7 }, (_, i) =>
          aReminderView({ createdAt: minute(i), dueAt: minute(60 - i), status: i % 2 ? 'Completed' : 'Active' }),
        );
        for (const v of views) await store.save(v);
      });

      async function all(query: Parameters<ReminderReadStore['list']>[0]) {
        const pages: string[][] = [];
        let cursor: string | undefined;
        do {
          const page = await store.list({ ...query, cursor });
          pages.push(page.items.map((v) => v.id));
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        return pages;
      }

      it('pages newest first with no gaps or repeats', async () => {
        const pages = await all({ order: 'createdAt', limit: 3 });
        expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
        expect(pages.flat()).toEqual([...views].reverse().map((v) => v.id));
      });

      it('pages by dueAt, soonest first', async () => {
        const pages = await all({ order: 'dueAt', limit: 4 });
        expect(pages.flat()).toEqual([...views].reverse().map((v) => v.id));
      });

      it('filters by status', async () => {
        const pages = await all({ order: 'createdAt', limit: 2, status: 'Completed' });
        expect(pages.flat()).toEqual(views.filter((v) => v.status === 'Completed').reverse().map((v) => v.id));
      });

      it('orders reminders created in the same millisecond by id, stably', async () => {
        await store.clear();
        const same = Array.from({ length: 5 }, () => aReminderView({ createdAt: minute(1) }));
        for (const v of same) await store.save(v);
        const pages = await all({ order: 'createdAt', limit: 2 });
        expect(pages.flat()).toEqual(same.map((v) => v.id).sort().reverse());
      });

      it('rejects a cursor it did not issue', async () => {
        await expect(store.list({ order: 'createdAt', limit: 2, cursor: 'bm90LWEtY3Vyc29y' })).rejects.toBeInstanceOf(InvalidCursorError);
      });

      it('is empty after clear', async () => {
        await store.clear();
        expect(await store.list({ order: 'createdAt', limit: 10 })).toEqual({ items: [], nextCursor: null });
      });
    });
  });
}
