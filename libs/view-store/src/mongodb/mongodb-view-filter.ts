import type { Document, Sort } from 'mongodb';
import { KeysetStep, ListPlan, PlannedCondition } from '../view-query';

/**
 * One step of a page as a MongoDB filter: the query's conditions and the
 * step's keyset bound. Declared fields sit at the top level of the document
 * under their own names; null matches null (every declared field is written,
 * null when the view has no value).
 */
export function stepFilter(plan: ListPlan, step: KeysetStep): Document {
  const parts = [...plan.conditions.map(conditionFilter), keysetFilter(plan.order.field, plan.order.direction, step)].filter(
    (f): f is Document => f !== null,
  );
  return parts.length === 0 ? {} : { $and: parts };
}

/** The order's field, then _id, both in the order's direction. */
export function orderSort(plan: ListPlan): Sort {
  const dir = plan.order.direction === 'desc' ? -1 : 1;
  return { [plan.order.field]: dir, _id: dir };
}

function conditionFilter(c: PlannedCondition): Document {
  const field = c.field.name;
  switch (c.kind) {
    case 'eq':
      return { [field]: c.value };
    case 'in':
      return { [field]: { $in: [...c.values] } };
    case 'contains':
      // Equality with an array field matches when the array holds the value.
      return { [field]: c.value };
    case 'range':
      return { [field]: Object.fromEntries(c.bounds.map(([op, v]) => [`$${op}`, v])) };
  }
}

/**
 * $gt/$lt compare within one BSON type only, so a null never falls inside a
 * bound: null runs are read as steps of their own, as in the SQLite adapter.
 */
function keysetFilter(field: string, direction: 'asc' | 'desc', step: KeysetStep): Document | null {
  const past = direction === 'asc' ? '$gt' : '$lt';
  switch (step.kind) {
    case 'start':
      return null;
    case 'after':
      return { $or: [{ [field]: { [past]: step.key } }, { [field]: step.key, _id: { [past]: step.id } }] };
    case 'nullsAfter':
      return { [field]: null, _id: { [past]: step.id } };
    case 'nulls':
      return { [field]: null };
    case 'values':
      return { [field]: { $ne: null } };
  }
}
