import type { Database } from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '@herald/platform/sqlite/open-sqlite';
import { minute } from '../contract/task-view.fixture';
import { ViewDefinition } from '../view-store.port';
import { SqliteViewStore } from './sqlite-view-store';

/**
 * A query side deployed before this store has reminder_views as
 * SqliteReminderReadStore created it. The statements below are copied from
 * that store: the file on disk does not change when the code does.
 */
const READ_STORE_SCHEMA = `
  CREATE TABLE IF NOT EXISTS reminder_views (
    id         TEXT PRIMARY KEY,
    status     TEXT NOT NULL,
    due_at     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revision   INTEGER NOT NULL,
    doc        TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS reminder_views_created ON reminder_views (created_at DESC, id DESC);
  CREATE INDEX IF NOT EXISTS reminder_views_due ON reminder_views (due_at, id);
  CREATE INDEX IF NOT EXISTS reminder_views_status_created ON reminder_views (status, created_at DESC, id DESC);
  CREATE INDEX IF NOT EXISTS reminder_views_status_due ON reminder_views (status, due_at, id);
`;
const READ_STORE_INSERT = `
  INSERT INTO reminder_views (id, status, due_at, created_at, revision, doc) VALUES (@id, @status, @dueAt, @createdAt, @revision, @doc)`;
/** How the reminder read store wrote its cursors. */
const readStoreCursor = (order: string, key: string, id: string) => Buffer.from(JSON.stringify([order, key, id])).toString('base64url');

/** The part of today's ReminderView these tests need. */
interface ReminderView {
  id: string;
  revision: number;
  status: 'Active' | 'Completed' | 'Failed' | 'Cancelled';
  dueAt: string;
  nextAttemptAt: string | null;
  payload: unknown;
  createdAt: string;
  updatedAt: string;
}

const reminderViews: ViewDefinition<ReminderView> = {
  name: 'reminder_views',
  fields: { status: { type: 'string' }, dueAt: { type: 'string' }, createdAt: { type: 'string' } },
  orders: { createdAt: { field: 'createdAt', direction: 'desc' }, dueAt: { field: 'dueAt', direction: 'asc' } },
  indexes: [
    ['status', 'createdAt'],
    ['status', 'dueAt'],
  ],
};

describe('SqliteViewStore over the reminder read store’s table', () => {
  let dir: string;
  let db: Database;
  let stored: ReminderView[];
  const schemaSql = () => db.prepare("SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'reminder_views' ORDER BY name").all();

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'herald-reminder-views-'));
    db = openSqlite(join(dir, 'projections.sqlite'));
    db.exec(READ_STORE_SCHEMA);
    stored = [0, 1, 2, 3, 4].map((i) => ({
      id: randomUUID(),
      revision: i,
      status: i % 2 ? 'Completed' : 'Active',
      dueAt: minute(50 - i),
      nextAttemptAt: i % 2 ? null : minute(50 - i),
      payload: { $x: [i, null], 'a.b': true },
      createdAt: minute(i),
      updatedAt: minute(10 + ((i * 3) % 5)),
    }));
    const insert = db.prepare(READ_STORE_INSERT);
    for (const v of stored) insert.run({ ...v, doc: JSON.stringify(v) });
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens the table as it is and reads, filters and pages its rows', async () => {
    const before = schemaSql();
    const store = new SqliteViewStore(db, reminderViews);
    expect(schemaSql()).toEqual(before);
    expect(await store.getMany(stored.map((v) => v.id))).toHaveLength(5);
    expect(await store.get(stored[3].id)).toEqual(stored[3]);
    const page = await store.list({ order: 'createdAt', limit: 2, where: { status: 'Active' } });
    expect(page.items).toEqual([stored[4], stored[2]]);
    expect((await store.list({ order: 'createdAt', limit: 2, where: { status: 'Active' }, cursor: page.nextCursor! })).items).toEqual([stored[0]]);
    expect((await store.list({ order: 'dueAt', limit: 5 })).items).toEqual([...stored].reverse());
  });

  it('continues from a cursor the reminder read store handed out', async () => {
    const store = new SqliteViewStore(db, reminderViews);
    const cursor = readStoreCursor('dueAt', stored[2].dueAt, stored[2].id);
    expect((await store.list({ order: 'dueAt', limit: 5, cursor })).items).toEqual([stored[1], stored[0]]);
  });

  it('guards the stored rows by revision and keeps their columns in step', async () => {
    const store = new SqliteViewStore(db, reminderViews);
    const view = stored[2];
    expect(await store.save({ ...view, status: 'Cancelled' })).toBe(false);
    expect(await store.save({ ...view, status: 'Cancelled', revision: view.revision + 1 })).toBe(true);
    expect((await store.list({ order: 'dueAt', limit: 5, where: { status: 'Cancelled' } })).items.map((v) => v.id)).toEqual([view.id]);
    expect(db.prepare('SELECT status FROM reminder_views WHERE id = ?').pluck().get(view.id)).toBe('Cancelled');
  });

  it('adds a newly declared column, backfilled from the stored views, and its order’s index', async () => {
    const later: ViewDefinition<ReminderView> = {
      ...reminderViews,
      fields: { ...reminderViews.fields, nextAttemptAt: { type: 'string' }, updatedAt: { type: 'string' } },
      orders: { ...reminderViews.orders, updatedAt: { field: 'updatedAt', direction: 'desc' } },
    };
    const legacyIndexes = schemaSql().filter((o) => (o as { type: string }).type === 'index');
    const store = new SqliteViewStore(db, later);
    const rows = db.prepare('SELECT id, next_attempt_at AS nextAttemptAt, updated_at AS updatedAt FROM reminder_views').all();
    expect(rows).toEqual(expect.arrayContaining(stored.map(({ id, nextAttemptAt, updatedAt }) => ({ id, nextAttemptAt, updatedAt }))));
    expect((await store.list({ order: 'createdAt', limit: 5, where: { nextAttemptAt: null } })).items).toEqual([stored[3], stored[1]]);
    expect((await store.list({ order: 'updatedAt', limit: 5 })).items.map((v) => v.updatedAt)).toEqual(
      [...stored.map((v) => v.updatedAt)].sort().reverse(),
    );
    const indexes = schemaSql().filter((o) => (o as { type: string }).type === 'index');
    expect(indexes).toEqual(expect.arrayContaining(legacyIndexes));
    expect(indexes.map((o) => (o as { sql: string }).sql)).toContain(
      'CREATE INDEX reminder_views_by_updated_at_desc_id_desc ON reminder_views (updated_at DESC, id DESC)',
    );
    // Opened again by the same version, nothing is added twice.
    const after = schemaSql();
    new SqliteViewStore(db, later);
    expect(schemaSql()).toEqual(after);
  });
});
