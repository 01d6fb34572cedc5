import { CallbackDue } from '../callback-due';

/**
 * The scheduler's durable list of pending callbacks, one per reminder.
 * Entries far in the future stay here and cost the transport nothing; the
 * scheduler hands over only what falls due within its horizon and marks it.
 * Adapters: sqlite/ (and later mongodb/); all pass contract/.
 */
export const TIME_INDEX = Symbol('TIME_INDEX');

export interface TimeIndex {
  /**
   * Records the pending attempt of a reminder, replacing an earlier attempt.
   * An older attempt than the stored one is ignored, and re-putting the same
   * attempt keeps its hand-off mark, so replaying events is harmless.
   */
  put(entry: CallbackDue): Promise<void>;
  remove(reminderId: string): Promise<void>;
  /** Entries due at or before `until` and not yet handed off, soonest first. */
  due(until: number, limit: number): Promise<CallbackDue[]>;
  /** Marks entries as handed to the transport (only if their attempt is still the stored one). */
  markHandedOff(entries: readonly CallbackDue[]): Promise<void>;
  /** Forgets every hand-off: on start-up when the transport kept nothing (in-process timers). */
  resetHandOffs(): Promise<void>;
  /** Pending entries, handed off or not. */
  size(): Promise<number>;
}
