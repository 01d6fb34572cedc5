import { EventHandler, RecordedEvent } from '../event-store.port';

/**
 * Hands one batch to a handler until it succeeds or the subscription stops.
 * A failing handler is never skipped past: that would lose the events for
 * good, since the checkpoint moves on. Backoff keeps a broken dependency
 * from being hammered.
 */
export async function deliverWithRetry(
  events: RecordedEvent[],
  handler: EventHandler,
  isStopped: () => boolean,
  onError: (error: unknown, events: RecordedEvent[]) => void,
): Promise<boolean> {
  for (let failures = 0; !isStopped(); failures++) {
    try {
      await handler(events);
      return true;
    } catch (error) {
      onError(error, events);
      await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 50 * 2 ** failures)));
    }
  }
  return false;
}
