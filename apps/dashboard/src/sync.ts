import type { Herald } from '@herald/client';
import { HeraldError } from '@herald/client';
import type { Item, Resource } from './resources';

/**
 * The feed is read from the log, the views from the read model: a view read right after a
 * feed message may not show that message's event yet (or, for a new item, answer 404 for a few
 * milliseconds). So after a message the item is read until it does, with growing pauses.
 */
const PAUSES_MS = [0, 40, 80, 160, 320, 640, 1280, 2560];
/** Schedules: their updatedAt cannot tell (it is their decision's time), so read now and twice more. */
const SETTLE_MS = [0, 400, 1500];

/**
 * Reads `id` after a feed message recorded at `recordedAt` (undefined: after an action or a
 * creation of this page's own) and hands each read that may be newer to `apply`.
 */
export async function follow(
  resource: Resource,
  herald: Herald,
  id: string,
  recordedAt: string | undefined,
  apply: (item: Item) => void,
  signal: AbortSignal,
): Promise<void> {
  const settle = resource.freshness === 'settle';
  let previous = 0;
  for (const at of settle ? SETTLE_MS : PAUSES_MS) {
    if (at > previous) await sleep(at - previous, signal);
    previous = at;
    if (signal.aborted) return;
    let item: Item;
    try {
      item = await resource.get(herald, id);
    } catch (error) {
      if (error instanceof HeraldError && error.status === 404) continue; // not projected yet
      throw error;
    }
    if (signal.aborted) return;
    apply(item);
    if (settle) continue;
    if (resource.freshness === 'immutable' || recordedAt === undefined) return;
    if (typeof item.updatedAt === 'string' && item.updatedAt >= recordedAt) return;
  }
}

/**
 * Whether `next` may replace `current`: never by an older read (a slow answer overtaken by a newer
 * one). Only where updatedAt is the last event's time (reminders, tasks); a schedule's reads settle.
 */
export function isNewer(resource: Resource, next: Item, current: Item | undefined): boolean {
  if (resource.freshness !== 'updatedAt' || !current || typeof next.updatedAt !== 'string' || typeof current.updatedAt !== 'string') return true;
  return next.updatedAt >= current.updatedAt;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
