import type { Database, Statement, Transaction } from 'better-sqlite3';
import { decodeCursor, toPage } from '../cursor';
import { ReminderListQuery, ReminderPage, ReminderReadStore, ReminderView } from '../reminder-read-store.port';

export class SqliteReminderReadStore implements ReminderReadStore {
  private readonly statements: Record<'save' | 'get' | 'getMany' | 'clear', Statement>;
  private readonly saveAll: Transaction<(views: readonly ReminderView[]) => number>;

  constructor(private readonly db: Database) {
    db.exec(`
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
    `);
    this.statements = {
      // The WHERE on the upsert is what makes replays and redeliveries harmless.
      save: db.prepare(`
        INSERT INTO reminder_views (id, status, due_at, created_at, revision, doc) VALUES (@id, @status, @dueAt, @createdAt, @revision, @doc)
        ON CONFLICT (id) DO UPDATE SET status = excluded.status, due_at = excluded.due_at, revision = excluded.revision, doc = excluded.doc
        WHERE excluded.revision > reminder_views.revision`),
      get: db.prepare('SELECT doc FROM reminder_views WHERE id = ?'),
      getMany: db.prepare('SELECT doc FROM reminder_views WHERE id IN (SELECT value FROM json_each(?))'),
      clear: db.prepare('DELETE FROM reminder_views'),
    };
    // One commit for a page of projected events instead of one per event.
    this.saveAll = db.transaction((views: readonly ReminderView[]) =>
      views.reduce((n, view) => n + this.statements.save.run({ ...view, doc: JSON.stringify(view) }).changes, 0),
    );
  }

  async saveMany(views: readonly ReminderView[]): Promise<number> {
    return views.length === 0 ? 0 : this.saveAll(views);
  }

  async getMany(ids: readonly string[]): Promise<ReminderView[]> {
    if (ids.length === 0) return [];
    return (this.statements.getMany.all(JSON.stringify(ids)) as { doc: string }[]).map((r) => JSON.parse(r.doc));
  }

  async save(view: ReminderView): Promise<boolean> {
    const info = this.statements.save.run({ ...view, doc: JSON.stringify(view) });
    return info.changes > 0;
  }

  async get(id: string): Promise<ReminderView | null> {
    const row = this.statements.get.get(id) as { doc: string } | undefined;
    return row ? JSON.parse(row.doc) : null;
  }

  async list(query: ReminderListQuery): Promise<ReminderPage> {
    const newestFirst = query.order === 'createdAt';
    const column = newestFirst ? 'created_at' : 'due_at';
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.status) {
      where.push('status = ?');
      params.push(query.status);
    }
    if (query.cursor) {
      const { key, id } = decodeCursor(query.cursor, query.order);
      where.push(`(${column}, id) ${newestFirst ? '<' : '>'} (?, ?)`);
      params.push(key, id);
    }
    const direction = newestFirst ? 'DESC' : 'ASC';
    const sql = `SELECT doc FROM reminder_views ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY ${column} ${direction}, id ${direction} LIMIT ?`;
    const rows = this.db.prepare(sql).all(...params, query.limit + 1) as { doc: string }[];
    return toPage(rows.map((r) => JSON.parse(r.doc) as ReminderView), query);
  }

  async clear(): Promise<void> {
    this.statements.clear.run();
  }
}
