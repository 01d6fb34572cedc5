import type { Database } from 'better-sqlite3';
import { DeclaredField, IndexSpec, ViewSchema } from '../view-schema';

/** `dueAt` → `due_at`: the columns keep the naming the reminder table already has. */
export const columnName = (field: string): string => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const COLUMN_TYPE = { string: 'TEXT', number: 'REAL' } as const;

/**
 * Creates the view's table and indexes, or brings an existing table up to
 * the definition: a declared field without its column (added in a later
 * version) gets one, filled from the stored documents. Existing columns,
 * constraints and indexes are left as they are, so a table written by an
 * earlier store (reminder_views) opens unchanged. One IMMEDIATE transaction:
 * another process opening the same file at once waits instead of adding the
 * same column twice.
 */
export function ensureViewTable(db: Database, schema: ViewSchema): void {
  checkColumnNames(schema);
  db.transaction(() => {
    const table = schema.name;
    const columns = schema.scalarFields.map((f) => `, ${columnName(f.name)} ${COLUMN_TYPE[f.type as 'string' | 'number']}`).join('');
    db.exec(`CREATE TABLE IF NOT EXISTS ${table} (id TEXT PRIMARY KEY, revision INTEGER NOT NULL, doc TEXT NOT NULL${columns})`);
    const existing = new Set((db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name));
    const lacking = ['id', 'revision', 'doc'].filter((c) => !existing.has(c));
    if (lacking.length) throw new Error(`table ${table} exists without the column(s) ${lacking.join(', ')} every view table has`);
    for (const field of schema.scalarFields) if (!existing.has(columnName(field.name))) addColumn(db, table, field);
    const present = indexedColumnLists(db, table);
    for (const spec of schema.indexes) if (!present.has(indexColumns(spec))) db.exec(createIndex(table, spec));
  }).immediate();
}

function addColumn(db: Database, table: string, field: DeclaredField): void {
  const column = columnName(field.name);
  db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${COLUMN_TYPE[field.type as 'string' | 'number']}`);
  db.exec(`UPDATE ${table} SET ${column} = json_extract(doc, '$.${field.name}')`);
}

/** "created_at DESC, id DESC": an index's key columns as SQL writes them. */
function indexColumns(spec: IndexSpec): string {
  const dir = spec.direction === 'desc' ? ' DESC' : '';
  const leading = spec.fields.slice(0, -1).map(columnName);
  return [...leading, `${columnName(spec.fields[spec.fields.length - 1])}${dir}`, `id${dir}`].join(', ');
}

function createIndex(table: string, spec: IndexSpec): string {
  const name = `${table}_by_${indexColumns(spec).replace(/ DESC/g, '_desc').replace(/, /g, '_')}`;
  return `CREATE INDEX IF NOT EXISTS ${name} ON ${table} (${indexColumns(spec)})`;
}

/**
 * The key columns of the table's plain indexes, in indexColumns' form: an
 * index that already exists under another name (the reminder table's
 * reminder_views_created…) is not built a second time.
 */
function indexedColumnLists(db: Database, table: string): Set<string> {
  const indexes = db.pragma(`index_list(${table})`) as { name: string; partial: number }[];
  const lists = indexes
    .filter((i) => i.partial === 0)
    .map((i) =>
      (db.pragma(`index_xinfo(${JSON.stringify(i.name)})`) as { name: string | null; desc: number; key: number }[])
        .filter((c) => c.key === 1)
        .map((c) => `${c.name}${c.desc ? ' DESC' : ''}`)
        .join(', '),
    );
  return new Set(lists);
}

function checkColumnNames(schema: ViewSchema): void {
  const seen = new Map<string, string>([
    ['id', 'id'],
    ['revision', 'revision'],
    ['doc', 'doc'],
  ]);
  for (const field of schema.scalarFields) {
    const column = columnName(field.name);
    const taken = seen.get(column);
    if (taken !== undefined)
      throw new TypeError(`view definition "${schema.name}": fields "${taken}" and "${field.name}" both map to column ${column}`);
    seen.set(column, field.name);
  }
}
