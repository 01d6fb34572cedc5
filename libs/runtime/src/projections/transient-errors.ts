/** SQLite result codes of a store that is busy, locked, out of space or failing I/O: an outage, never the event's fault. */
const SQLITE_TRANSIENT = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|PROTOCOL|NOMEM|READONLY)/;

/** MongoDB driver errors of an unreachable or changing cluster. */
const MONGO_TRANSIENT = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
]);

/**
 * True for errors that say the store is unavailable rather than that the
 * events are unprocessable. Such errors never park an event, whatever the
 * probe says: the store may answer a ping between two failing writes.
 */
export function isTransientStoreError(error: unknown): boolean {
  const e = error as { code?: unknown; name?: unknown; hasErrorLabel?: (label: string) => boolean } | null;
  if (!e || typeof e !== 'object') return false;
  if (typeof e.code === 'string' && SQLITE_TRANSIENT.test(e.code)) return true;
  if (typeof e.name === 'string' && MONGO_TRANSIENT.has(e.name)) return true;
  return typeof e.hasErrorLabel === 'function' && (e.hasErrorLabel('RetryableWriteError') || e.hasErrorLabel('TransientTransactionError'));
}
