import { taskViews } from '../contract/task-view.fixture';
import { KeysetStep, planList } from '../view-query';
import { ViewSchema } from '../view-schema';
import { ViewQuery } from '../view-store.port';
import { orderSort, stepFilter } from './mongodb-view-filter';

// The MongoDB suite needs a server; these pin the translation where there is none.
const schema = ViewSchema.of(taskViews);
const plan = (query: Partial<ViewQuery>) => planList(schema, { order: 'createdAt', limit: 2, ...query });
const start: KeysetStep = { kind: 'start' };

describe('MongoDB view filters', () => {
  it('maps each condition kind to its operator', () => {
    const where = { status: 'Queued', owner: null, type: { in: ['a', 'b'] }, tags: { contains: 'urgent' }, attempts: { gt: 1, lte: 3 } };
    expect(stepFilter(plan({ where }), start)).toEqual({
      $and: [{ status: 'Queued' }, { owner: null }, { type: { $in: ['a', 'b'] } }, { tags: 'urgent' }, { attempts: { $gt: 1, $lte: 3 } }],
    });
    expect(stepFilter(plan({}), start)).toEqual({});
  });

  it('bounds each keyset step in the order’s direction, nulls apart', () => {
    const desc = plan({ order: 'createdAt' });
    const asc = plan({ order: 'dueAt' });
    expect(stepFilter(desc, { kind: 'after', key: 'k', id: 'i' })).toEqual({
      $and: [{ $or: [{ createdAt: { $lt: 'k' } }, { createdAt: 'k', _id: { $lt: 'i' } }] }],
    });
    expect(stepFilter(asc, { kind: 'after', key: 'k', id: 'i' })).toEqual({
      $and: [{ $or: [{ dueAt: { $gt: 'k' } }, { dueAt: 'k', _id: { $gt: 'i' } }] }],
    });
    expect(stepFilter(asc, { kind: 'nullsAfter', id: 'i' })).toEqual({ $and: [{ dueAt: null, _id: { $gt: 'i' } }] });
    expect(stepFilter(asc, { kind: 'values' })).toEqual({ $and: [{ dueAt: { $ne: null } }] });
    expect(stepFilter(desc, { kind: 'nulls' })).toEqual({ $and: [{ createdAt: null }] });
    expect(orderSort(desc)).toEqual({ createdAt: -1, _id: -1 });
    expect(orderSort(asc)).toEqual({ dueAt: 1, _id: 1 });
  });
});
