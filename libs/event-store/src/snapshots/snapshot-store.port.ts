/**
 * Snapshots of aggregate state: a cache beside the log that lets a long
 * stream (a schedule firing every few seconds for months) be decided on
 * without folding it from the start. The log stays the truth: a snapshot is
 * the fold of its stream up to `revision`, and a missing, older or
 * differently versioned one only costs a longer read.
 */
export const SNAPSHOT_STORE = Symbol('SNAPSHOT_STORE');

export interface Snapshot {
  readonly stream: string;
  /** The revision of the last event folded into `state`. */
  readonly revision: number;
  /** The aggregate's snapshot schema: a snapshot of another version is ignored. */
  readonly version: number;
  /** JSON-serialisable aggregate state. */
  readonly state: unknown;
}

export interface SnapshotStore {
  /** The stream's snapshot, or null when there is none. */
  load(stream: string): Promise<Snapshot | null>;
  /** Keeps `snapshot` unless the stored one is at the same or a later revision. */
  save(snapshot: Snapshot): Promise<void>;
}
