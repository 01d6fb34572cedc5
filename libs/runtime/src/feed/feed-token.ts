import { EventStore, LogPosition } from '@herald/event-store';

/**
 * A feed message's `id:`: the event's log position, base64url-encoded so
 * clients treat it as opaque (its form differs between event stores) and it
 * survives any header or query string unescaped.
 */
export function feedToken(position: LogPosition): string {
  return Buffer.from(position, 'utf8').toString('base64url');
}

/** The position a token names, or null when it is not one of this store's (a 400 for the caller). */
export function positionOfToken(token: string, events: Pick<EventStore, 'comparePositions'>): LogPosition | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(token)) return null;
  const position = Buffer.from(token, 'base64url').toString('utf8');
  try {
    // The adapters parse their own positions here and throw on anything else.
    return events.comparePositions(position, position) === 0 ? position : null;
  } catch {
    return null;
  }
}
