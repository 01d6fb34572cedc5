import { KeysetStep, ListPlan, PlannedCondition } from '../view-query';
import { columnName } from './sqlite-view-schema';

export interface SqlPart {
  readonly sql: string;
  readonly params: readonly unknown[];
}

const OPERATOR = { gte: '>=', gt: '>', lte: '<=', lt: '<' } as const;

/**
 * One step of a page as SQL: the query's conditions, the step's keyset
 * bound, in (field, id) order. Values are always parameters, so the text
 * depends only on the query's shape and its prepared statement is reused.
 */
export function selectStep(table: string, plan: ListPlan, step: KeysetStep, limit: number): SqlPart {
  const parts = [...plan.conditions.map((c) => conditionSql(table, c)), stepSql(columnName(plan.order.field), plan.order.direction, step)].filter(
    (p): p is SqlPart => p !== null,
  );
  const where = parts.length ? `WHERE ${parts.map((p) => p.sql).join(' AND ')}` : '';
  const dir = plan.order.direction === 'desc' ? 'DESC' : 'ASC';
  return {
    sql: `SELECT doc FROM ${table} ${where} ORDER BY ${columnName(plan.order.field)} ${dir}, id ${dir} LIMIT ?`,
    params: [...parts.flatMap((p) => p.params), limit],
  };
}

function conditionSql(table: string, c: PlannedCondition): SqlPart {
  const column = columnName(c.field.name);
  switch (c.kind) {
    case 'eq':
      return c.value === null ? { sql: `${column} IS NULL`, params: [] } : { sql: `${column} = ?`, params: [c.value] };
    case 'in':
      // One JSON parameter whatever the number of values: one statement per shape, and no limit on host parameters.
      return { sql: `${column} IN (SELECT value FROM json_each(?))`, params: [JSON.stringify(c.values)] };
    case 'contains':
      // string[] fields have no column: they are read from the stored document.
      return { sql: `EXISTS (SELECT 1 FROM json_each(${table}.doc, '$.${c.field.name}') WHERE value = ?)`, params: [c.value] };
    case 'range':
      return { sql: c.bounds.map(([op]) => `${column} ${OPERATOR[op]} ?`).join(' AND '), params: c.bounds.map(([, v]) => v) };
  }
}

function stepSql(column: string, direction: 'asc' | 'desc', step: KeysetStep): SqlPart | null {
  const past = direction === 'asc' ? '>' : '<';
  switch (step.kind) {
    case 'start':
      return null;
    case 'after':
      return { sql: `(${column}, id) ${past} (?, ?)`, params: [step.key, step.id] };
    case 'nullsAfter':
      return { sql: `${column} IS NULL AND id ${past} ?`, params: [step.id] };
    case 'nulls':
      return { sql: `${column} IS NULL`, params: [] };
    case 'values':
      return { sql: `${column} IS NOT NULL`, params: [] };
  }
}
