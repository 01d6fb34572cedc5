import { InvalidCursorError, ReminderListQuery, ReminderOrder, ReminderPage, ReminderView } from './reminder-read-store.port';

/** Keyset cursor: the sort key and id of the last item on the page. */
export interface CursorPosition {
  order: ReminderOrder;
  key: string;
  id: string;
}

export const encodeCursor = (c: CursorPosition) => Buffer.from(JSON.stringify([c.order, c.key, c.id])).toString('base64url');

export function decodeCursor(cursor: string, order: ReminderOrder): CursorPosition {
  try {
    const [o, key, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (o === order && typeof key === 'string' && typeof id === 'string') return { order, key, id };
  } catch {
    // fall through
  }
  throw new InvalidCursorError();
}

/**
 * A page from `limit + 1` rows fetched in list order: the extra row only
 * tells whether there is a next page, whose cursor is the last item's key.
 */
export function toPage(rows: ReminderView[], query: ReminderListQuery): ReminderPage {
  const items = rows.slice(0, query.limit);
  const last = items[items.length - 1];
  const key = last && (query.order === 'createdAt' ? last.createdAt : last.dueAt);
  return { items, nextCursor: rows.length > query.limit && last ? encodeCursor({ order: query.order, key, id: last.id }) : null };
}
