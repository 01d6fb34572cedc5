import { DueEntry, DueEntryRef } from '../due-entry';

/**
 * The scheduler's durable list of pending due entries, one per (topic, key).
 * Entries far in the future stay here and cost the transport nothing; the
 * scheduler claims what falls due within its horizon, hands it to the
 * transport and marks it handed off. Several scheduler replicas may share
 * one index: claims keep them from handing the same entry over twice.
 * Adapters: sqlite/, mongodb/; all pass contract/time-index.contract.ts.
 */
export const TIME_INDEX = Symbol('TIME_INDEX');

export interface ClaimOptions {
  /** Current time, epoch ms. */
  readonly now: number;
  /** Entries due at or before this are claimable. */
  readonly until: number;
  readonly limit: number;
  /** A claim not confirmed by markHandedOff within this lapses (its claimer died). */
  readonly claimTtlMs: number;
  /**
   * An entry handed off this long ago and still in the index is claimable
   * again: its message was lost on the way (a broker failure), or what it
   * was handed to did not take it (a task nobody leased). Counted from the
   * hand-off, not the due time, so an entry waiting long is re-offered once
   * per interval, not on every run. Absent: stale hand-offs are not looked
   * for. Finding them means looking at every handed-off entry due within the
   * window (on SQLite, every row of that index branch): a scheduler's periodic
   * run does it, the runs a projection nudges on every new entry do not.
   */
  readonly staleAfterMs?: number;
}

export interface TimeIndexChanges {
  readonly put: readonly DueEntry[];
  readonly remove: readonly DueEntryRef[];
}

export interface TimeIndex {
  /**
   * Records the pending occurrence of a (topic, key), replacing an earlier
   * sequence. An older sequence than the stored one is ignored, and re-putting
   * the same sequence keeps its claim and hand-off mark, so replaying events
   * is harmless.
   */
  put(entry: DueEntry): Promise<void>;
  remove(ref: DueEntryRef): Promise<void>;
  /** put() and remove() for a page of events: puts first, then removes, in one transaction where the store has them. */
  apply(changes: TimeIndexChanges): Promise<void>;
  /**
   * Atomically claims up to `limit` entries that are due by `until`, not
   * handed off and not claimed by someone else (or handed off but stale, when
   * `staleAfterMs` is given), soonest first. Concurrent callers never get the same entry.
   */
  claimDue(options: ClaimOptions): Promise<DueEntry[]>;
  /** Marks claimed entries as handed to the transport at `now` (only if their sequence is still the stored one). */
  markHandedOff(entries: readonly DueEntry[], now: number): Promise<void>;
  /** Forgets every claim and hand-off: on start-up when the transport kept nothing (in-process timers). */
  resetHandOffs(): Promise<void>;
  /** Pending entries, handed off or not. */
  size(): Promise<number>;
  /**
   * Forgets every entry of these topics: the first step of a rebuild from
   * the log of the projection that writes them (with the schedulers stopped).
   * The other topics' entries stay: their projections are not replayed, so
   * nothing would put them back.
   */
  clear(topics: readonly string[]): Promise<void>;
}
