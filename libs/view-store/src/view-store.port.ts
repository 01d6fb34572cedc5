/**
 * A generic read-side store: each kind of view (reminders, background tasks,
 * schedules) declares a ViewDefinition instead of copying a store. Adapters:
 * sqlite/ (embedded), mongodb/ (full stack); all pass
 * contract/view-store.contract.ts.
 */

/** What every view has: its id and the stream revision of the last event applied. */
export interface ViewShape {
  id: string;
  /** Makes projection writes idempotent: a save never goes back to an earlier revision. */
  revision: number;
}

export type ViewFieldType = 'string' | 'number' | 'string[]';
export type ViewDirection = 'asc' | 'desc';

/** The declared type a view property of type T may have (null allowed); never for other types. */
export type ViewFieldSpecFor<T> = [NonNullable<T>] extends [string]
  ? { readonly type: 'string' }
  : [NonNullable<T>] extends [number]
    ? { readonly type: 'number' }
    : [NonNullable<T>] extends [readonly string[]]
      ? { readonly type: 'string[]' }
      : never;

/** The view's own properties that may be declared: id and revision are always there. */
export type ViewFieldName<V> = Exclude<keyof V & string, 'id' | 'revision'>;

export interface ViewOrderSpec<F extends string = string> {
  /** A declared string or number field. Ties are broken by id, in the same direction. */
  readonly field: F;
  readonly direction: ViewDirection;
}

export interface ViewDefinition<V extends ViewShape> {
  /** SQLite table / MongoDB collection. */
  readonly name: string;
  /** The queryable fields, read from the view object by the same name; only these can be filtered or ordered on. */
  readonly fields: { readonly [K in ViewFieldName<V>]?: ViewFieldSpecFor<V[K]> };
  /** Named sort orders, chosen by ViewQuery.order. */
  readonly orders: { readonly [name: string]: ViewOrderSpec<ViewFieldName<V>> };
  /**
   * Compound indexes for filtered lists: leading fields ascending, then the
   * last field and id in the direction of the first order on that last field.
   * Each order gets its (field, id) index without being listed here.
   */
  readonly indexes?: readonly (readonly ViewFieldName<V>[])[];
}

export type ViewScalar = string | number;

/** Strings compare as ISO-8601 instants do: lexicographically. Any non-empty subset of the bounds. */
export interface ViewRange {
  readonly gte?: ViewScalar;
  readonly gt?: ViewScalar;
  readonly lte?: ViewScalar;
  readonly lt?: ViewScalar;
}

/**
 * Equality (null: the field is null), one of several values, for a
 * string[] field that the array holds the value, or a range.
 */
export type ViewCondition = ViewScalar | null | { readonly in: readonly ViewScalar[] } | { readonly contains: string } | ViewRange;

export interface ViewQuery {
  /** Every condition must hold. An undefined condition is left out, so optional query parameters pass straight through. */
  readonly where?: { readonly [field: string]: ViewCondition | undefined };
  /** The name of one of the definition's orders. */
  readonly order: string;
  /** Page size, at least 1. */
  readonly limit: number;
  /** Opaque, from a previous page's nextCursor with the same order. */
  readonly cursor?: string;
}

export interface ViewPage<V> {
  items: V[];
  nextCursor: string | null;
}

export interface ViewStore<V extends ViewShape> {
  /** Writes `view` unless the stored one is at the same or a later revision; true when written. */
  save(view: V): Promise<boolean>;
  /** save() for many views at once (one transaction or bulk write where the store has one); returns how many were written. */
  saveMany(views: readonly V[]): Promise<number>;
  get(id: string): Promise<V | null>;
  /** The stored views among `ids`, in no particular order. */
  getMany(ids: readonly string[]): Promise<V[]>;
  /**
   * Keyset pages in the order's direction, ties by id. A null sorts below
   * every value (first ascending, last descending), as both SQLite and
   * MongoDB sort it.
   */
  list(query: ViewQuery): Promise<ViewPage<V>>;
  /** Drops every view: the first step of a rebuild from the log. */
  clear(): Promise<void>;
}

/** A cursor the caller altered or took from another order: the HTTP layer answers 400. */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
  constructor() {
    super('cursor is not one this service issued; pass nextCursor from a previous page unchanged');
  }
}

/** A query on a field or order the definition does not declare: a programming error, not the caller's. */
export class UnknownViewFieldError extends Error {
  override readonly name = 'UnknownViewFieldError';
  constructor(
    readonly view: string,
    readonly kind: 'field' | 'order',
    readonly field: string,
  ) {
    super(`view "${view}" declares no ${kind} "${field}"; only declared ${kind}s can be queried`);
  }
}
