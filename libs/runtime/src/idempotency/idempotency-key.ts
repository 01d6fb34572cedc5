import { HttpException } from '@nestjs/common';
import { createHash } from 'node:crypto';

/** An Idempotency-Key as a create route uses it: the key, whose it is, what it creates, and what was asked. */
export interface IdempotencyKey {
  readonly value: string;
  readonly owner: string | null;
  /** The kind of resource the route creates: keys of different kinds never meet. */
  readonly kind: string;
  readonly fingerprint: string;
}

const MAX_KEY_LENGTH = 255;

/**
 * The Idempotency-Key header of a create request, or null without one. The
 * draft makes it a structured-field string ("…"); the bare token most
 * clients send is accepted too. 1–255 visible ASCII characters, else a 400
 * saying so (nothing is written).
 */
export function idempotencyKeyOf(
  header: string | string[] | undefined,
  request: { kind: string; owner: string | null; route: string; body: unknown },
): IdempotencyKey | null {
  if (header === undefined) return null;
  const raw = (Array.isArray(header) ? header.join(',') : header).trim();
  const value = /^".*"$/.test(raw) ? raw.slice(1, -1) : raw;
  if (value.length === 0 || value.length > MAX_KEY_LENGTH || !/^[\x20-\x7e]+$/.test(value)) {
    throw new HttpException(
      {
        statusCode: 400,
        error: 'Bad Request',
        code: 'InvalidIdempotencyKey',
        message: `Idempotency-Key must be 1-${MAX_KEY_LENGTH} visible ASCII characters (a UUID is a good one)`,
      },
      400,
    );
  }
  return { value, owner: request.owner, kind: request.kind, fingerprint: fingerprintOf(request.route, request.body) };
}

/** SHA-256 of the route and the body as canonical JSON (keys sorted): the same request, however its fields were ordered. */
export function fingerprintOf(route: string, body: unknown): string {
  return createHash('sha256').update(route).update('\n').update(canonicalJson(body)).digest('base64url');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
