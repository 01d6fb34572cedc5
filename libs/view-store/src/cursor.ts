import { InvalidCursorError, ViewPage, ViewScalar } from './view-store.port';

/** Keyset cursor: the order it was issued for, and the sort key and id of the last item on the page. */
export interface CursorPosition {
  readonly order: string;
  /** null when the last item had no value for the order's field. */
  readonly key: ViewScalar | null;
  readonly id: string;
}

/** What a cursor is checked against: the order's name and its field's type. */
export interface CursorOrder {
  readonly name: string;
  readonly field: string;
  readonly type: 'string' | 'number';
}

// The same text as the reminder read store's cursors, so a page link handed
// out before the switch to this store still works after it.
export const encodeCursor = (c: CursorPosition): string => Buffer.from(JSON.stringify([c.order, c.key, c.id])).toString('base64url');

export function decodeCursor(cursor: string, order: CursorOrder): CursorPosition {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (!Array.isArray(decoded) || decoded.length !== 3) throw new InvalidCursorError();
  const [name, key, id] = decoded as unknown[];
  // A cursor from another order names it; a key of the wrong type cannot have come from this order either.
  if (name !== order.name || typeof id !== 'string' || (key !== null && typeof key !== order.type)) throw new InvalidCursorError();
  return { order: order.name, key: key as ViewScalar | null, id };
}

/**
 * A page from up to `limit + 1` views fetched in list order: the extra one
 * only tells whether there is a next page, whose cursor is the last item's key.
 */
export function toPage<V extends { id: string }>(rows: readonly V[], limit: number, order: CursorOrder): ViewPage<V> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  if (rows.length <= limit || !last) return { items, nextCursor: null };
  const key = (last as unknown as Record<string, ViewScalar | null | undefined>)[order.field] ?? null;
  return { items, nextCursor: encodeCursor({ order: order.name, key, id: last.id }) };
}
