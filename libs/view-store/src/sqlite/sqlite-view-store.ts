import type { Database, Statement, Transaction } from 'better-sqlite3';
import { toPage } from '../cursor';
import { planList } from '../view-query';
import { ViewSchema } from '../view-schema';
import { ViewDefinition, ViewPage, ViewQuery, ViewShape, ViewStore } from '../view-store.port';
import { columnName, ensureViewTable } from './sqlite-view-schema';
import { selectStep } from './sqlite-view-sql';

/**
 * One table per definition: id, revision, the view as JSON text (doc) and a
 * column per declared string/number field, which is what lists filter, sort
 * and index on. The view read back is always the doc, exactly as saved.
 */
export class SqliteViewStore<V extends ViewShape> implements ViewStore<V> {
  private readonly schema: ViewSchema;
  private readonly statements: Record<'save' | 'get' | 'getMany' | 'clear', Statement>;
  private readonly saveAll: Transaction<(views: readonly V[]) => number>;
  /** list() statements by SQL text: their number is bounded by the query shapes the code uses. */
  private readonly listStatements = new Map<string, Statement>();

  constructor(
    private readonly db: Database,
    definition: ViewDefinition<V>,
  ) {
    this.schema = ViewSchema.of(definition);
    ensureViewTable(db, this.schema);
    const table = this.schema.name;
    this.statements = {
      save: db.prepare(this.upsertSql()),
      get: db.prepare(`SELECT doc FROM ${table} WHERE id = ?`),
      getMany: db.prepare(`SELECT doc FROM ${table} WHERE id IN (SELECT value FROM json_each(?))`),
      clear: db.prepare(`DELETE FROM ${table}`),
    };
    // One commit for a page of projected events instead of one per event.
    this.saveAll = db.transaction((views: readonly V[]) => views.reduce((n, view) => n + this.write(view), 0));
  }

  async save(view: V): Promise<boolean> {
    return this.write(view) > 0;
  }

  async saveMany(views: readonly V[]): Promise<number> {
    return views.length === 0 ? 0 : this.saveAll(views);
  }

  async get(id: string): Promise<V | null> {
    const row = this.statements.get.get(id) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as V) : null;
  }

  async getMany(ids: readonly string[]): Promise<V[]> {
    if (ids.length === 0) return [];
    return (this.statements.getMany.all(JSON.stringify(ids)) as { doc: string }[]).map((r) => JSON.parse(r.doc) as V);
  }

  async list(query: ViewQuery): Promise<ViewPage<V>> {
    const plan = planList(this.schema, query);
    const docs: string[] = [];
    for (const step of plan.steps) {
      const wanted = plan.limit + 1 - docs.length;
      if (wanted <= 0) break;
      const { sql, params } = selectStep(this.schema.name, plan, step, wanted);
      docs.push(...(this.listStatement(sql).all(...params) as { doc: string }[]).map((r) => r.doc));
    }
    const views = docs.map((d) => JSON.parse(d) as V);
    return toPage(views, plan.limit, plan.order);
  }

  async clear(): Promise<void> {
    this.statements.clear.run();
  }

  /** 1 when written, 0 when the stored view is at the same or a later revision. */
  private write(view: V): number {
    const values = this.schema.indexedValues(view);
    const columns = this.schema.scalarFields.map((f) => values[f.name]);
    return this.statements.save.run(view.id, view.revision, JSON.stringify(view), ...columns).changes;
  }

  /** The WHERE on the upsert is what makes replays and redeliveries harmless. */
  private upsertSql(): string {
    const table = this.schema.name;
    const columns = ['id', 'revision', 'doc', ...this.schema.scalarFields.map((f) => columnName(f.name))];
    const updates = columns.slice(1).map((c) => `${c} = excluded.${c}`);
    return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})
      ON CONFLICT (id) DO UPDATE SET ${updates.join(', ')}
      WHERE excluded.revision > ${table}.revision`;
  }

  private listStatement(sql: string): Statement {
    let statement = this.listStatements.get(sql);
    if (!statement) this.listStatements.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }
}
