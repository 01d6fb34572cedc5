import { UnknownViewFieldError, ViewDefinition, ViewDirection, ViewFieldType, ViewScalar, ViewShape } from './view-store.port';

export interface DeclaredField {
  readonly name: string;
  readonly type: ViewFieldType;
}

export interface ResolvedOrder {
  readonly name: string;
  readonly field: string;
  readonly type: 'string' | 'number';
  readonly direction: ViewDirection;
}

/** Leading fields ascending, then the last field and id in `direction`. */
export interface IndexSpec {
  readonly fields: readonly string[];
  readonly direction: ViewDirection;
}

interface LooseDefinition {
  readonly name: string;
  readonly fields: { readonly [name: string]: { readonly type: ViewFieldType } | undefined };
  readonly orders: { readonly [name: string]: { readonly field: string; readonly direction: ViewDirection } };
  readonly indexes?: readonly (readonly string[])[];
}

export type IndexedValue = ViewScalar | readonly string[] | null;

// Names end up inside SQL text and MongoDB field paths: only plain identifiers
// are safe in both, and these are taken by the stores' own columns/fields.
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED = new Set(['id', '_id', 'revision', 'doc', 'json']);

/** A definition checked once, with the lookups both adapters share. Definition mistakes throw here, at startup. */
export class ViewSchema {
  readonly name: string;
  readonly fields: readonly DeclaredField[];
  readonly indexes: readonly IndexSpec[];
  private readonly byName: ReadonlyMap<string, DeclaredField>;
  private readonly orders: ReadonlyMap<string, ResolvedOrder>;

  /** The definition's field names are checked against V by its type; here they are plain strings. */
  static of<V extends ViewShape>(definition: ViewDefinition<V>): ViewSchema {
    return new ViewSchema(definition);
  }

  private constructor(definition: LooseDefinition) {
    this.name = checkIdentifier(definition.name, 'name');
    this.fields = Object.entries(definition.fields)
      .filter((entry): entry is [string, { type: ViewFieldType }] => entry[1] !== undefined)
      .map(([name, spec]) => declaredField(definition.name, name, spec.type));
    this.byName = new Map(this.fields.map((f) => [f.name, f]));
    this.orders = new Map(Object.entries(definition.orders).map(([name, spec]) => [name, this.resolveOrder(name, spec.field, spec.direction)]));
    this.indexes = indexSpecs(
      [...this.orders.values()],
      (definition.indexes ?? []).map((fields) => this.checkIndex(fields)),
    );
  }

  get scalarFields(): readonly DeclaredField[] {
    return this.fields.filter((f) => f.type !== 'string[]');
  }

  field(name: string): DeclaredField {
    const field = this.byName.get(name);
    if (!field) throw new UnknownViewFieldError(this.name, 'field', name);
    return field;
  }

  order(name: string): ResolvedOrder {
    const order = this.orders.get(name);
    if (!order) throw new UnknownViewFieldError(this.name, 'order', name);
    return order;
  }

  /**
   * The declared fields' values, checked against their declared types: a
   * value of another type would be stored but sort and match differently in
   * each store, so it is refused before anything is written.
   */
  indexedValues(view: ViewShape): Record<string, IndexedValue> {
    if (typeof view.id !== 'string' || !Number.isSafeInteger(view.revision)) {
      throw new TypeError(`view "${this.name}": a view needs a string id and an integer revision`);
    }
    const values: Record<string, IndexedValue> = {};
    for (const field of this.fields) values[field.name] = checkedValue(this.name, field, (view as unknown as Record<string, unknown>)[field.name]);
    return values;
  }

  private resolveOrder(name: string, fieldName: string, direction: ViewDirection): ResolvedOrder {
    const field = this.byName.get(fieldName);
    if (!field || field.type === 'string[]') this.fail(`order "${name}" must be on a declared string or number field, not "${fieldName}"`);
    if (direction !== 'asc' && direction !== 'desc') this.fail(`order "${name}" has direction "${direction}"`);
    return { name, field: field.name, type: field.type, direction };
  }

  private checkIndex(fields: readonly string[]): readonly string[] {
    if (fields.length === 0) this.fail('an index needs at least one field');
    for (const name of fields) {
      // SQLite keeps no column for a string[] field: there is nothing to index.
      const type = this.byName.get(name)?.type;
      if (type === undefined || type === 'string[]') this.fail(`index field "${name}" must be a declared string or number field`);
    }
    return fields;
  }

  private fail(message: string): never {
    throw new TypeError(`view definition "${this.name}": ${message}`);
  }
}

function checkIdentifier(name: string, what: string): string {
  if (!IDENTIFIER.test(name) || RESERVED.has(name)) {
    throw new TypeError(`view definition: ${what} "${name}" must be a plain identifier other than ${[...RESERVED].join(', ')}`);
  }
  return name;
}

function declaredField(view: string, name: string, type: ViewFieldType): DeclaredField {
  checkIdentifier(name, `field of "${view}"`);
  if (type !== 'string' && type !== 'number' && type !== 'string[]')
    throw new TypeError(`view definition "${view}": field "${name}" has type "${type}"`);
  return { name, type };
}

/**
 * One index per order, then the declared compound ones; one per field list,
 * the first wins: an index scanned backwards serves the opposite direction.
 */
function indexSpecs(orders: readonly ResolvedOrder[], compound: readonly (readonly string[])[]): IndexSpec[] {
  const directionOf = (field: string) => orders.find((o) => o.field === field)?.direction ?? 'asc';
  const all = [
    ...orders.map((o) => ({ fields: [o.field], direction: o.direction })),
    ...compound.map((fields) => ({ fields, direction: directionOf(fields[fields.length - 1]) })),
  ];
  const seen = new Set<string>();
  return all.filter((spec) => !seen.has(spec.fields.join()) && seen.add(spec.fields.join()));
}

function checkedValue(view: string, field: DeclaredField, value: unknown): IndexedValue {
  if (value === undefined || value === null) return null;
  const ok =
    field.type === 'string[]'
      ? Array.isArray(value) && value.every((v) => typeof v === 'string')
      : field.type === 'number'
        ? typeof value === 'number' && Number.isFinite(value)
        : typeof value === 'string';
  if (!ok) throw new TypeError(`view "${view}": field "${field.name}" is declared ${field.type} but holds ${JSON.stringify(value)}`);
  return value as IndexedValue;
}
