import { LogPosition } from '../event-store.port';

/**
 * Where a subscriber remembers how far it has read the log. It lives beside
 * the subscriber's own data (the read model's store, the scheduler's index),
 * not in the event store. Adapters: sqlite/, mongodb/.
 */
export const CHECKPOINT_STORE = Symbol('CHECKPOINT_STORE');

export interface CheckpointStore {
  load(subscriber: string): Promise<LogPosition | null>;
  save(subscriber: string, position: LogPosition): Promise<void>;
  /**
   * Throws when the store does not answer. Projections keep their data in the
   * same store as their checkpoints, so this tells an outage (retry, never
   * skip) from events that fail on a healthy store (park them).
   */
  ping(): Promise<void>;
}
