import { randomUUID } from 'node:crypto';
import { encodeCursor } from '../cursor';
import { InvalidCursorError, UnknownViewFieldError, ViewDefinition, ViewQuery, ViewStore } from '../view-store.port';
import { aTaskView, minute, TaskView, taskViews } from './task-view.fixture';

export type OpenViewStore = (definition: ViewDefinition<TaskView>) => Promise<{ store: ViewStore<TaskView>; close(): Promise<void> }>;

type Sortable = 'createdAt' | 'updatedAt' | 'dueAt' | 'attempts';

/** The documented order, stated plainly: null below every value, ties by id, all in the order's direction. */
function expectedIds(views: readonly TaskView[], order: string): string[] {
  const { field, direction } = taskViews.orders[order] as { field: Sortable; direction: 'asc' | 'desc' };
  const cmp = (a: string | number | null, b: string | number | null) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);
  const sign = direction === 'asc' ? 1 : -1;
  return [...views].sort((x, y) => sign * (cmp(x[field], y[field]) || cmp(x.id, y.id))).map((v) => v.id);
}

const byId = (a: TaskView, b: TaskView) => a.id.localeCompare(b.id);

/** Every ViewStore adapter passes this; `open` must hand out an empty store for the definition. */
export function viewStoreContract(name: string, open: OpenViewStore) {
  describe(`ViewStore contract: ${name}`, () => {
    let store: ViewStore<TaskView>;
    let close: () => Promise<void>;
    beforeEach(async () => ({ store, close } = await open(taskViews)));
    afterEach(() => close());

    /** Every page of a query, following nextCursor; each page's ids. */
    async function pages(query: Omit<ViewQuery, 'cursor'>): Promise<string[][]> {
      const found: string[][] = [];
      let cursor: string | undefined;
      do {
        const page = await store.list({ ...query, cursor });
        found.push(page.items.map((v) => v.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor && found.length < 100);
      return found;
    }

    it('stores and returns a view unchanged, whatever its data holds', async () => {
      const view = aTaskView({
        owner: null,
        dueAt: null,
        tags: [],
        input: { a: [1, [2, null], { b: null }], $x: { $set: 1 }, 'a.b': 'dotted', '': 'empty', text: 'ü 😀 "quoted"', n: -0.5 },
      });
      expect(await store.save(view)).toBe(true);
      expect(await store.get(view.id)).toEqual(view);
    });

    it('returns null for an unknown id', async () => {
      expect(await store.get(randomUUID())).toBeNull();
    });

    it('applies a later revision and ignores the same or an earlier one', async () => {
      const v0 = aTaskView({ revision: 1 });
      const v2 = { ...v0, status: 'Running' as const, revision: 2 };
      await store.save(v0);
      expect(await store.save(v2)).toBe(true);
      expect(await store.save({ ...v0, status: 'Failed' })).toBe(false);
      expect(await store.save({ ...v0, revision: 0, status: 'Failed' })).toBe(false);
      expect(await store.save({ ...v2, status: 'Succeeded' })).toBe(false);
      expect(await store.get(v0.id)).toEqual(v2);
      // The queryable fields follow the view that was written, not the ones ignored.
      expect((await store.list({ order: 'createdAt', limit: 5, where: { status: 'Running' } })).items).toEqual([v2]);
      expect((await store.list({ order: 'createdAt', limit: 5, where: { status: { in: ['Queued', 'Failed', 'Succeeded'] } } })).items).toEqual([]);
    });

    it('saves and reads many at once, with the same revision guard', async () => {
      const [a, b, c] = [aTaskView(), aTaskView(), aTaskView()];
      await store.save({ ...b, revision: 3 });
      expect(await store.saveMany([a, { ...b, revision: 2 }, c])).toBe(2);
      const a1: TaskView = { ...a, revision: 1, status: 'Running' };
      expect(await store.saveMany([a1, { ...c, revision: 0, status: 'Failed' }])).toBe(1);
      const found = await store.getMany([a.id, b.id, c.id, randomUUID()]);
      expect(found.sort(byId)).toEqual([a1, { ...b, revision: 3 }, c].sort(byId));
      expect(await store.getMany([])).toEqual([]);
      expect(await store.saveMany([])).toBe(0);
    });

    it('refuses a view whose declared field holds another type, writing nothing', async () => {
      const view = { ...aTaskView(), attempts: '3' } as unknown as TaskView;
      await expect(store.save(view)).rejects.toBeInstanceOf(TypeError);
      const fine = aTaskView();
      await expect(store.saveMany([fine, { ...aTaskView(), tags: 'billing' } as unknown as TaskView])).rejects.toBeInstanceOf(TypeError);
      expect(await store.getMany([view.id, fine.id])).toEqual([]);
    });

    describe('list', () => {
      let views: TaskView[];
      const ids = (pick: (v: TaskView) => boolean, order = 'createdAt') => expectedIds(views.filter(pick), order);
      beforeEach(async () => {
        // Unique createdAt; updatedAt a permutation of it; dueAt with nulls and ties; attempts with ties.
        views = Array.from({ length: 9 }, (_, i) =>
          aTaskView({
            createdAt: minute(i),
            updatedAt: minute(20 + ((i * 4) % 9)),
            dueAt: i % 3 === 0 ? null : minute(40 + (i % 4)),
            attempts: i % 4,
            status: (['Queued', 'Running', 'Succeeded'] as const)[i % 3],
            owner: i % 4 === 0 ? null : `team-${i % 2}`,
            tags: i % 2 ? ['billing', 'urgent'] : ['billing'],
          }),
        );
        expect(await store.saveMany(views)).toBe(9);
      });

      it.each(Object.keys(taskViews.orders))('pages order %s in its direction, ties by id, with no gaps or repeats', async (order) => {
        for (const limit of [1, 2, 4, 9, 10]) {
          const found = await pages({ order, limit });
          expect(found.flat()).toEqual(expectedIds(views, order));
          // Full pages until the last; no empty page after an exact multiple.
          expect(found.map((p) => p.length)).toEqual(Array.from({ length: Math.ceil(9 / limit) }, (_, i) => Math.min(limit, 9 - i * limit)));
        }
      });

      it('sorts a null first ascending and last descending', async () => {
        const nulls = views.filter((v) => v.dueAt === null).map((v) => v.id);
        expect((await store.list({ order: 'dueAt', limit: 3 })).items.map((v) => v.id).sort()).toEqual([...nulls].sort());
        expect((await store.list({ order: 'dueAtLatest', limit: 9 })).items.slice(-3).map((v) => v.id)).toEqual([...nulls].sort().reverse());
      });

      it('orders views with the same key in the same millisecond by id, stably', async () => {
        await store.clear();
        const same = Array.from({ length: 5 }, () => aTaskView({ createdAt: minute(1), dueAt: minute(2) }));
        await store.saveMany(same);
        const sorted = same.map((v) => v.id).sort();
        expect((await pages({ order: 'createdAt', limit: 2 })).flat()).toEqual([...sorted].reverse());
        expect((await pages({ order: 'dueAt', limit: 2 })).flat()).toEqual(sorted);
      });

      it('filters by equality, including null', async () => {
        expect((await pages({ order: 'createdAt', limit: 2, where: { status: 'Running' } })).flat()).toEqual(ids((v) => v.status === 'Running'));
        expect((await pages({ order: 'dueAt', limit: 2, where: { owner: null } })).flat()).toEqual(ids((v) => v.owner === null, 'dueAt'));
        expect((await pages({ order: 'createdAt', limit: 2, where: { attempts: 2 } })).flat()).toEqual(ids((v) => v.attempts === 2));
      });

      it('filters by one of several values', async () => {
        const where = { status: { in: ['Queued', 'Succeeded'] } };
        expect((await pages({ order: 'updatedAt', limit: 2, where })).flat()).toEqual(ids((v) => v.status !== 'Running', 'updatedAt'));
        expect((await pages({ order: 'createdAt', limit: 2, where: { attempts: { in: [1, 3] } } })).flat()).toEqual(ids((v) => v.attempts % 2 === 1));
        expect(await store.list({ order: 'createdAt', limit: 2, where: { status: { in: [] } } })).toEqual({ items: [], nextCursor: null });
      });

      it('filters a string[] field by a value it holds', async () => {
        const urgent = await pages({ order: 'dueAt', limit: 2, where: { tags: { contains: 'urgent' } } });
        expect(urgent.flat()).toEqual(ids((v) => v.tags.includes('urgent'), 'dueAt'));
        expect((await pages({ order: 'createdAt', limit: 4, where: { tags: { contains: 'billing' } } })).flat()).toEqual(ids(() => true));
        expect((await store.list({ order: 'createdAt', limit: 4, where: { tags: { contains: 'bill' } } })).items).toEqual([]);
      });

      it('filters by a range, on either end or both', async () => {
        const between = await pages({ order: 'createdAt', limit: 2, where: { createdAt: { gte: minute(2), lt: minute(6) } } });
        expect(between.flat()).toEqual(ids((v) => v.createdAt >= minute(2) && v.createdAt < minute(6)));
        const openClosed = await pages({ order: 'createdAt', limit: 2, where: { createdAt: { gt: minute(2), lte: minute(6) } } });
        expect(openClosed.flat()).toEqual(ids((v) => v.createdAt > minute(2) && v.createdAt <= minute(6)));
        expect((await pages({ order: 'createdAt', limit: 3, where: { updatedAt: { lt: minute(24) } } })).flat()).toEqual(
          ids((v) => v.updatedAt < minute(24)),
        );
        expect((await pages({ order: 'attempts', limit: 2, where: { attempts: { gte: 1, lte: 2 } } })).flat()).toEqual(
          ids((v) => v.attempts >= 1 && v.attempts <= 2, 'attempts'),
        );
      });

      it('pages through a range on the order field itself, a null never inside it', async () => {
        const where = { dueAt: { gte: minute(41) } };
        for (const order of ['dueAt', 'dueAtLatest']) {
          expect((await pages({ order, limit: 1, where })).flat()).toEqual(ids((v) => v.dueAt !== null && v.dueAt >= minute(41), order));
        }
      });

      it('combines conditions, all of which must hold, across pages', async () => {
        const where = { status: { in: ['Queued', 'Running'] }, tags: { contains: 'urgent' }, createdAt: { lt: minute(8) }, owner: 'team-1' };
        const pick = (v: TaskView) => v.status !== 'Succeeded' && v.tags.includes('urgent') && v.createdAt < minute(8) && v.owner === 'team-1';
        expect(views.filter(pick).length).toBeGreaterThan(1);
        for (const order of Object.keys(taskViews.orders)) expect((await pages({ order, limit: 1, where })).flat()).toEqual(ids(pick, order));
      });

      it('leaves out conditions and bounds that are undefined', async () => {
        const where = { status: undefined, createdAt: { gte: undefined, lt: minute(3) } };
        expect((await pages({ order: 'createdAt', limit: 4, where })).flat()).toEqual(ids((v) => v.createdAt < minute(3)));
      });

      it('rejects a cursor it did not issue for this order', async () => {
        const fromDueAt = (await store.list({ order: 'dueAt', limit: 2 })).nextCursor as string;
        expect(fromDueAt).toEqual(expect.any(String));
        const notIssued = [
          fromDueAt,
          'bm90LWEtY3Vyc29y',
          '%%%',
          Buffer.from('"createdAt"').toString('base64url'),
          encodeCursor({ order: 'attempts', key: 'three', id: views[0].id }),
        ];
        for (const cursor of notIssued) {
          const order = cursor === notIssued[4] ? 'attempts' : 'createdAt';
          await expect(store.list({ order, limit: 2, cursor })).rejects.toBeInstanceOf(InvalidCursorError);
        }
      });

      it('refuses a field or order the definition does not declare', async () => {
        await expect(store.list({ order: 'createdAt', limit: 2, where: { input: 'x' } })).rejects.toBeInstanceOf(UnknownViewFieldError);
        await expect(store.list({ order: 'createdAt', limit: 2, where: { id: 'x' } })).rejects.toBeInstanceOf(UnknownViewFieldError);
        await expect(store.list({ order: 'input', limit: 2 })).rejects.toBeInstanceOf(UnknownViewFieldError);
      });

      it('refuses a condition that does not fit its field', async () => {
        const misfits: ViewQuery['where'][] = [
          { status: { contains: 'Queued' } },
          { tags: 'billing' },
          { attempts: '1' },
          { createdAt: { after: minute(1) } as never },
        ];
        for (const where of misfits) await expect(store.list({ order: 'createdAt', limit: 2, where })).rejects.toBeInstanceOf(TypeError);
      });

      it('is empty after clear', async () => {
        await store.clear();
        expect(await store.list({ order: 'createdAt', limit: 10 })).toEqual({ items: [], nextCursor: null });
        expect(await store.get(views[0].id)).toBeNull();
      });
    });
  });
}
