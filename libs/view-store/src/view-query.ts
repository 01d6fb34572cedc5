import { decodeCursor } from './cursor';
import { DeclaredField, ResolvedOrder, ViewSchema } from './view-schema';
import { ViewCondition, ViewQuery, ViewScalar } from './view-store.port';

export type RangeOp = 'gte' | 'gt' | 'lte' | 'lt';
const RANGE_OPS: readonly string[] = ['gte', 'gt', 'lte', 'lt'] satisfies RangeOp[];

export type PlannedCondition =
  | { readonly kind: 'eq'; readonly field: DeclaredField; readonly value: ViewScalar | null }
  | { readonly kind: 'in'; readonly field: DeclaredField; readonly values: readonly ViewScalar[] }
  | { readonly kind: 'contains'; readonly field: DeclaredField; readonly value: string }
  | { readonly kind: 'range'; readonly field: DeclaredField; readonly bounds: readonly (readonly [RangeOp, ViewScalar])[] };

/**
 * One run of the order that a page reads, each in (field, id) order:
 * start: from the top. after: values past (key, id). nullsAfter: null values
 * past id. nulls / values: every null / non-null value.
 */
export type KeysetStep =
  | { readonly kind: 'start' }
  | { readonly kind: 'after'; readonly key: ViewScalar; readonly id: string }
  | { readonly kind: 'nullsAfter'; readonly id: string }
  | { readonly kind: 'nulls' }
  | { readonly kind: 'values' };

export interface ListPlan {
  readonly order: ResolvedOrder;
  readonly conditions: readonly PlannedCondition[];
  /** Read in turn until limit + 1 views are found. */
  readonly steps: readonly KeysetStep[];
  readonly limit: number;
}

/** Checks a query against the definition and turns it into what both adapters translate. */
export function planList(schema: ViewSchema, query: ViewQuery): ListPlan {
  const order = schema.order(query.order);
  const conditions = Object.entries(query.where ?? {}).flatMap(([name, condition]) => planCondition(schema, name, condition));
  if (!Number.isSafeInteger(query.limit) || query.limit < 1) throw new RangeError(`limit must be a positive integer, not ${query.limit}`);
  return { order, conditions, steps: query.cursor === undefined ? [{ kind: 'start' }] : stepsAfter(query.cursor, order), limit: query.limit };
}

/**
 * A null sorts below every value (first ascending, last descending), and a
 * row-value comparison with null matches nothing: so a page that starts on
 * one side of the nulls may run on into the other, read as a second step.
 * Each step alone is a range scan of the order's (field, id) index.
 */
function stepsAfter(cursor: string, order: ResolvedOrder): KeysetStep[] {
  const { key, id } = decodeCursor(cursor, order);
  const ascending = order.direction === 'asc';
  if (key === null) return ascending ? [{ kind: 'nullsAfter', id }, { kind: 'values' }] : [{ kind: 'nullsAfter', id }];
  return ascending ? [{ kind: 'after', key, id }] : [{ kind: 'after', key, id }, { kind: 'nulls' }];
}

function planCondition(schema: ViewSchema, name: string, condition: ViewCondition | undefined): PlannedCondition[] {
  if (condition === undefined) return [];
  const field = schema.field(name);
  const bad = (why: string): never => {
    throw new TypeError(`view "${schema.name}": condition on ${field.type} field "${name}" ${why}: ${JSON.stringify(condition)}`);
  };
  if (condition === null || typeof condition !== 'object') {
    if (field.type === 'string[]') bad('must be { contains }');
    return [{ kind: 'eq', field, value: scalar(field, condition, bad) ?? null }];
  }
  if (Array.isArray(condition)) return bad('is an array; use { in: [...] }');
  // Bounds left undefined are left out, like undefined conditions.
  const entries = Object.entries(condition).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return [];
  const [[first, value]] = entries;
  if (field.type === 'string[]') {
    if (entries.length !== 1 || first !== 'contains' || typeof value !== 'string') bad('must be { contains: string }');
    return [{ kind: 'contains', field, value: value as string }];
  }
  if (entries.length === 1 && first === 'in') {
    if (!Array.isArray(value)) bad('needs an array');
    return [{ kind: 'in', field, values: (value as unknown[]).map((v) => scalar(field, v, bad) ?? bad('cannot hold null')) }];
  }
  if (!entries.every(([op]) => RANGE_OPS.includes(op))) bad('is not a value, { in }, { contains } or a range');
  const bounds = entries.map(([op, v]) => [op as RangeOp, scalar(field, v, bad) ?? bad('has a null bound')] as const);
  return [{ kind: 'range', field, bounds }];
}

function scalar(field: DeclaredField, value: unknown, bad: (why: string) => never): ViewScalar | null {
  if (value === null) return null;
  if (typeof value !== field.type || (typeof value === 'number' && !Number.isFinite(value))) bad(`needs ${field.type} values`);
  return value as ViewScalar;
}
