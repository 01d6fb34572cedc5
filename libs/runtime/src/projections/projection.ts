import { RecordedEvent } from '@herald/event-store';

/**
 * A projection is a value (after Emmett's): a stable name, the stream
 * categories it reads, and a batch handler. One host runs them all with
 * checkpoints, health and parking; one replay rebuilds any of them.
 */
export interface ProjectionDefinition {
  /** The checkpoint's key and the health probe's name. Renaming it replays the log from the start. */
  readonly name: string;
  /** Stream-name prefixes it reads, e.g. `['reminder-']`. */
  readonly categories: readonly string[];
  /**
   * Whether the host lets its events gather after a small batch, and for how
   * long: `readModel` for PROJECTION_BATCH_WINDOW_MS (0 by default: a GET right
   * after a write finds the view), `timers` for SCHEDULER_BATCH_WINDOW_MS (time
   * index entries planned ahead, read by no endpoint). Unset: never (task
   * starts, on the pickup path).
   */
  readonly gathers?: 'readModel' | 'timers';
  /** Must be idempotent: after a crash, events since the last checkpoint come again. */
  handle(events: RecordedEvent[]): Promise<void>;
  /** Drops everything it wrote: the first step of a rebuild. */
  truncate(): Promise<void>;
  /**
   * Throws when the store it writes to is down. Lets the host tell an outage
   * (retry, never skip) from events that keep failing on a healthy store
   * (park them). Default: the checkpoint store's ping — projections keep
   * their data in the store that holds their checkpoints.
   */
  probe?(): Promise<void>;
}

/** A provider token under which capability modules hand their definitions to the host. */
export const PROJECTIONS = Symbol('PROJECTIONS');
