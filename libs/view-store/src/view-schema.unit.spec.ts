import { taskViews, TaskView } from './contract/task-view.fixture';
import { ViewSchema } from './view-schema';
import { ViewDefinition } from './view-store.port';

/** Definitions the type system would refuse, built to check the runtime checks behind it. */
const loose = (change: object) => ({ ...taskViews, ...change }) as unknown as ViewDefinition<TaskView>;

describe('ViewSchema', () => {
  it.each([
    ['an order on an undeclared field', { orders: { byInput: { field: 'input', direction: 'asc' } } }, /order "byInput"/],
    ['an order on a string[] field', { orders: { byTags: { field: 'tags', direction: 'asc' } } }, /order "byTags"/],
    ['an order with no direction', { orders: { up: { field: 'createdAt', direction: 'up' } } }, /direction "up"/],
    ['an index on an undeclared field', { indexes: [['status', 'input']] }, /index field "input"/],
    ['an index on a string[] field', { indexes: [['tags']] }, /index field "tags"/],
    ['an empty index', { indexes: [[]] }, /at least one field/],
    ['a name that is not an identifier', { name: 'task views; DROP' }, /plain identifier/],
    ['a field named like a store column', { fields: { ...taskViews.fields, doc: { type: 'string' } } }, /"doc" must be a plain identifier/],
    ['a field of another type', { fields: { ...taskViews.fields, input: { type: 'object' } } }, /type "object"/],
  ])('refuses %s when the store is built', (_what, change, message) => {
    expect(() => ViewSchema.of(loose(change))).toThrow(message);
  });

  it("gives each order's field one index and directs a compound index by the order on its last field", () => {
    expect(ViewSchema.of(taskViews).indexes).toEqual([
      { fields: ['createdAt'], direction: 'desc' },
      { fields: ['updatedAt'], direction: 'desc' },
      { fields: ['dueAt'], direction: 'asc' },
      { fields: ['attempts'], direction: 'desc' },
      { fields: ['status', 'createdAt'], direction: 'desc' },
      { fields: ['status', 'dueAt'], direction: 'asc' },
      { fields: ['owner', 'updatedAt'], direction: 'desc' },
    ]);
    expect(ViewSchema.of(loose({ indexes: [['status', 'type']] })).indexes).toContainEqual({ fields: ['status', 'type'], direction: 'asc' });
  });

  it('reads the declared values, a missing one as null, and refuses one of another type', () => {
    const schema = ViewSchema.of(taskViews);
    const view = { id: 'a', revision: 2, status: 'Queued', tags: ['x'], attempts: 1, createdAt: 't', input: { big: true } } as unknown as TaskView;
    expect(schema.indexedValues(view)).toEqual({
      status: 'Queued',
      type: null,
      owner: null,
      tags: ['x'],
      attempts: 1,
      createdAt: 't',
      updatedAt: null,
      dueAt: null,
    });
    for (const bad of [{ attempts: NaN }, { attempts: '1' }, { status: 3 }, { tags: [1] }, { tags: 'x' }, { revision: 1.5 }, { id: 7 }]) {
      expect(() => schema.indexedValues({ ...view, ...bad } as unknown as TaskView)).toThrow(TypeError);
    }
  });
});
