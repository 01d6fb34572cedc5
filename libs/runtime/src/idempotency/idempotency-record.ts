import { Decider, DomainEvent, conflict } from '@herald/kernel';

/**
 * The write-side record of one Idempotency-Key (per owner and resource
 * kind): its own stream, so a key holds across replicas and restarts. Pure:
 * the I/O is IdempotentCreation's.
 */
export const IDEMPOTENCY_STREAM_PREFIX = 'idempotency-';

export interface IdempotencyKeyUsedData {
  /** The resource the key's request created (its id derived from the key and the record's revision). */
  resourceId: string;
  /** SHA-256 of the request (route and body): the same key with another request is refused. */
  fingerprint: string;
  usedAt: string;
}

export type IdempotencyEvent = DomainEvent<'IdempotencyKeyUsed', IdempotencyKeyUsedData>;

export type IdempotencyCommand = { type: 'RecordIdempotencyKeyUse'; resourceId: string; fingerprint: string; now: Date; ttlMs: number };

/** The key's latest use, if any, and how many uses it has had (each expired use frees the key for a new resource). */
export interface IdempotencyState {
  readonly use: IdempotencyKeyUsedData | null;
  readonly uses: number;
}

/** A use answers for the key until it expires. */
export function liveUse(state: IdempotencyState, now: Date, ttlMs: number): IdempotencyKeyUsedData | null {
  const { use } = state;
  return use && now.getTime() - Date.parse(use.usedAt) < ttlMs ? use : null;
}

export const idempotencyDecider: Decider<IdempotencyState, IdempotencyCommand, IdempotencyEvent> = {
  initialState: () => ({ use: null, uses: 0 }),
  decide(command, state) {
    const live = liveUse(state, command.now, command.ttlMs);
    if (live?.resourceId === command.resourceId && live.fingerprint === command.fingerprint) return []; // recorded already
    if (live) throw conflict('IdempotencyKeyInUse', 'the Idempotency-Key is in use for another request');
    const { resourceId, fingerprint, now } = command;
    return [{ type: 'IdempotencyKeyUsed', version: 1, data: { resourceId, fingerprint, usedAt: now.toISOString() } }];
  },
  evolve: (state, event) => ({ use: event.data, uses: state.uses + 1 }),
};
