import type { Position } from '@eventstore/db-client';
import { LogPosition } from '../event-store.port';

/** 2^64 - 1, the largest commit/prepare position: 20 decimal digits. */
const MAX_U64 = (1n << 64n) - 1n;
const WIDTH = 20;
const FORMAT = /^(\d{20}):(\d{20})$/;

/**
 * `commit:prepare`, each zero-padded to 20 digits, so that comparing the
 * strings compares (commit, prepare) — the order of $all — and checkpoint
 * stores can sort or compare positions without knowing their origin.
 */
export function encodePosition(position: Position): LogPosition {
  return `${pad(position.commit)}:${pad(position.prepare)}`;
}

/** Only accepts what encodePosition produced; anything else is a checkpoint from another adapter. */
export function decodePosition(position: LogPosition): Position {
  const match = FORMAT.exec(position);
  if (!match) throw new Error(`not an EventStoreDB log position: ${JSON.stringify(position)}`);
  return { commit: BigInt(match[1]), prepare: BigInt(match[2]) };
}

function pad(value: bigint): string {
  if (value < 0n || value > MAX_U64) throw new RangeError(`log position out of range: ${value}`);
  return value.toString(10).padStart(WIDTH, '0');
}
