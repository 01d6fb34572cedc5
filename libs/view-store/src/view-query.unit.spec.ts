import { taskViews } from './contract/task-view.fixture';
import { encodeCursor } from './cursor';
import { planList } from './view-query';
import { ViewSchema } from './view-schema';

const schema = ViewSchema.of(taskViews);
const stepsFrom = (order: string, key: string | null) => planList(schema, { order, limit: 2, cursor: encodeCursor({ order, key, id: 'i' }) }).steps;

describe('planList', () => {
  it('starts from the top without a cursor', () => {
    expect(planList(schema, { order: 'dueAt', limit: 2 }).steps).toEqual([{ kind: 'start' }]);
  });

  it('runs on past the nulls into the values, or the other way, as the direction takes it', () => {
    expect(stepsFrom('dueAt', 'k')).toEqual([{ kind: 'after', key: 'k', id: 'i' }]);
    expect(stepsFrom('dueAt', null)).toEqual([{ kind: 'nullsAfter', id: 'i' }, { kind: 'values' }]);
    expect(stepsFrom('dueAtLatest', 'k')).toEqual([{ kind: 'after', key: 'k', id: 'i' }, { kind: 'nulls' }]);
    expect(stepsFrom('dueAtLatest', null)).toEqual([{ kind: 'nullsAfter', id: 'i' }]);
  });

  it('needs a positive whole limit', () => {
    for (const limit of [0, -1, 1.5, NaN]) expect(() => planList(schema, { order: 'dueAt', limit })).toThrow(RangeError);
  });
});

describe('cursor', () => {
  it('is the text the reminder read store issued, so its page links keep working', () => {
    const id = '0b7e3c1a-0000-4000-8000-000000000000';
    const key = '2026-11-23T09:00:00.000Z';
    expect(encodeCursor({ order: 'createdAt', key, id })).toBe(Buffer.from(JSON.stringify(['createdAt', key, id])).toString('base64url'));
  });
});
