import { RecordedEvent } from '@herald/event-store';
import { DueEntry, DueEntryRef, TimeIndex } from '@herald/scheduling';
import { ProjectionDefinition } from '../projections/projection';

/** What one event does to the time index: plan an entry, drop one, or nothing (undefined). */
export type DueChange = { put: DueEntry } | { remove: DueEntryRef } | undefined;

export interface DueEntriesProjectionOptions {
  readonly name: string;
  readonly categories: readonly string[];
  /** The time index topics this projection writes, and no other does: what a rebuild clears. */
  readonly topics: readonly string[];
  readonly index: TimeIndex;
  readonly changeOf: (event: RecordedEvent) => DueChange | DueChange[];
  /** Hears what was just planned, so a hand-off can start at once for anything near. */
  readonly nudge?: (entries: readonly DueEntry[]) => void;
  readonly probe?: () => Promise<void>;
  /**
   * Let events gather for SCHEDULER_BATCH_WINDOW_MS after a small batch
   * (ProjectionDefinition.gathers = 'timers'): only for timers whose entries
   * are planned well ahead of their time, since an entry due at once then
   * waits up to that long.
   */
  readonly gathers?: boolean;
}

const refId = (r: DueEntryRef) => `${r.topic}\u0000${r.key}`;

/**
 * The scheduler's view of the log as a projection: a batch of events folds
 * into its net effect per (topic, key) and is written in one go.
 */
export function dueEntriesProjection(o: DueEntriesProjectionOptions): ProjectionDefinition {
  return {
    name: o.name,
    categories: o.categories,
    probe: o.probe,
    gathers: o.gathers ? 'timers' : undefined,
    // Run with the schedulers stopped: the rebuilt entries are handed over again (consumers drop what already ran).
    // Its own topics only: the other timers projections share the index and are not replayed with it.
    truncate: () => o.index.clear(o.topics),
    handle: async (events) => {
      const put = new Map<string, DueEntry>();
      const remove = new Map<string, DueEntryRef>();
      for (const event of events) {
        for (const change of [o.changeOf(event)].flat()) {
          if (!change) continue;
          const ref = 'put' in change ? change.put : change.remove;
          // An undeclared topic would survive a rebuild of this projection, stale: refused before anything is written.
          if (!o.topics.includes(ref.topic))
            throw new Error(`${o.name} writes time index topic ${ref.topic}, not among its topics ${o.topics.join(', ')}`);
          const id = refId(ref);
          if ('put' in change) {
            put.set(id, change.put);
            remove.delete(id);
          } else {
            put.delete(id);
            remove.set(id, change.remove);
          }
        }
      }
      const planned = [...put.values()];
      await o.index.apply({ put: planned, remove: [...remove.values()] });
      o.nudge?.(planned);
    },
  };
}
