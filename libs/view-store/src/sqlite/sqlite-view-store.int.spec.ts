import type { Database } from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '@herald/platform/sqlite/open-sqlite';
import { viewStoreContract } from '../contract/view-store.contract';
import { aTaskView, minute, TaskView, taskViews } from '../contract/task-view.fixture';
import { KeysetStep, planList } from '../view-query';
import { ViewSchema } from '../view-schema';
import { ViewDefinition } from '../view-store.port';
import { selectStep } from './sqlite-view-sql';
import { SqliteViewStore } from './sqlite-view-store';

/** A fresh SQLite file in its own directory; removed on cleanup. */
function tempFile(): { file: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'herald-view-store-'));
  return { file: join(dir, 'views.sqlite'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

viewStoreContract('sqlite', async (definition) => {
  const { file, cleanup } = tempFile();
  const db = openSqlite(file);
  return {
    store: new SqliteViewStore(db, definition),
    close: async () => {
      db.close();
      cleanup();
    },
  };
});

describe('SqliteViewStore', () => {
  let file: string;
  let cleanup: () => void;
  let db: Database;
  beforeEach(() => {
    ({ file, cleanup } = tempFile());
    db = openSqlite(file);
  });
  afterEach(() => {
    if (db.open) db.close();
    cleanup();
  });

  const columns = (table: string) => (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name);
  const indexes = (table: string) =>
    (db.pragma(`index_list(${table})`) as { name: string; origin: string }[])
      .filter((i) => i.origin === 'c')
      .map((i) =>
        (db.pragma(`index_xinfo(${i.name})`) as { name: string; desc: number; key: number }[])
          .filter((c) => c.key)
          .map((c) => `${c.name}${c.desc ? ' DESC' : ''}`)
          .join(', '),
      )
      .sort();

  it('keeps a snake_cased column per string and number field, none for string[] fields', () => {
    new SqliteViewStore(db, taskViews);
    expect(columns('task_views')).toEqual(['id', 'revision', 'doc', 'status', 'type', 'owner', 'attempts', 'created_at', 'updated_at', 'due_at']);
  });

  it("indexes each order's field and each declared compound index, one per field list", () => {
    new SqliteViewStore(db, taskViews);
    expect(indexes('task_views')).toEqual(
      [
        'created_at DESC, id DESC',
        'updated_at DESC, id DESC',
        'due_at, id', // dueAtLatest is served by the same index, scanned backwards
        'attempts DESC, id DESC',
        'status, created_at DESC, id DESC',
        'status, due_at, id',
        'owner, updated_at DESC, id DESC',
      ].sort(),
    );
  });

  it('pages every order through its index, never a sort of the table', () => {
    new SqliteViewStore(db, taskViews);
    const schema = ViewSchema.of(taskViews);
    const plan = (order: string, where = {}) => planList(schema, { order, limit: 2, where });
    const steps: KeysetStep[] = [
      { kind: 'start' },
      { kind: 'after', key: minute(1), id: 'x' },
      { kind: 'nullsAfter', id: 'x' },
      { kind: 'nulls' },
      { kind: 'values' },
    ];
    const plans = [
      ...Object.keys(taskViews.orders).map((o) => plan(o)),
      plan('createdAt', { status: 'Queued' }),
      plan('dueAt', { status: 'Queued' }),
      plan('updatedAt', { owner: 'team-1' }),
    ];
    for (const p of plans) {
      for (const step of steps) {
        const { sql, params } = selectStep('task_views', p, step, 3);
        const detail = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join('; ');
        expect(detail).toMatch(/USING INDEX/);
        expect(detail).not.toMatch(/TEMP B-TREE/);
      }
    }
  });

  it('keeps views across a reopen of the file', async () => {
    const view = aTaskView();
    await new SqliteViewStore(db, taskViews).save(view);
    db.close();
    db = openSqlite(file);
    const reopened = new SqliteViewStore(db, taskViews);
    expect(await reopened.get(view.id)).toEqual(view);
    expect(indexes('task_views')).toHaveLength(7);
  });

  it("adds a newly declared field's column, filled from the views already stored", async () => {
    const { attempts: _field, ...olderFields } = taskViews.fields;
    const { attempts: _order, ...olderOrders } = taskViews.orders;
    const older: ViewDefinition<TaskView> = { ...taskViews, fields: olderFields, orders: olderOrders };
    const views = [0, 3, 1, 2].map((attempts, i) => aTaskView({ attempts, createdAt: minute(i) }));
    await new SqliteViewStore(db, older).saveMany(views);
    expect(columns('task_views')).not.toContain('attempts');

    const store = new SqliteViewStore(db, taskViews);
    expect(columns('task_views')).toContain('attempts');
    expect((await store.list({ order: 'attempts', limit: 10 })).items.map((v) => v.attempts)).toEqual([3, 2, 1, 0]);
    expect((await store.list({ order: 'createdAt', limit: 10, where: { attempts: { gte: 2 } } })).items).toEqual([views[3], views[1]]);
  });

  it('refuses a definition whose fields would share a column', () => {
    const clash = { ...taskViews, fields: { ...taskViews.fields, created_at: { type: 'string' } } } as ViewDefinition<TaskView>;
    expect(() => new SqliteViewStore(db, clash)).toThrow(/both map to column created_at/);
  });
});
