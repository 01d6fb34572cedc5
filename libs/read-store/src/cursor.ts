import { InvalidCursorError, ReminderOrder } from './reminder-read-store.port';

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
