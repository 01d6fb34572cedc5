import { deciderSpecification } from '@herald/testing';
import { idempotencyDecider, liveUse } from './idempotency-record';
import { fingerprintOf, idempotencyKeyOf } from './idempotency-key';

const spec = deciderSpecification(idempotencyDecider);
const T0 = new Date('2027-01-01T00:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const DAY = 86_400_000;
const used = (resourceId: string, ms = 0, fingerprint = 'f1') =>
  ({ type: 'IdempotencyKeyUsed', version: 1, data: { resourceId, fingerprint, usedAt: at(ms).toISOString() } }) as const;
const record = (resourceId: string, ms: number, fingerprint = 'f1') =>
  ({ type: 'RecordIdempotencyKeyUse', resourceId, fingerprint, now: at(ms), ttlMs: DAY }) as const;

describe('the Idempotency-Key record', () => {
  it('records the first use of a key: the resource its request created', () => {
    spec
      .given([])
      .when(record('r1', 0))
      .then([used('r1', 0)]);
  });

  it('records a use once, refuses another while it lives, and takes a new one once it expired', () => {
    spec
      .given([used('r1', 0)])
      .when(record('r1', 5))
      .then([]);
    spec
      .given([used('r1', 0)])
      .when(record('r2', DAY - 1))
      .thenThrows({ code: 'IdempotencyKeyInUse' });
    spec
      .given([used('r1', 0)])
      .when(record('r1', 5, 'f2'))
      .thenThrows({ code: 'IdempotencyKeyInUse' });
    spec
      .given([used('r1', 0)])
      .when(record('r2', DAY))
      .then([used('r2', DAY)]);
  });

  it('knows the live use and counts uses, so each use names its own resource', () => {
    const state = [used('r1', 0), used('r2', DAY)].reduce(idempotencyDecider.evolve, idempotencyDecider.initialState());
    expect(state.uses).toBe(2);
    expect(liveUse(state, at(DAY + 1), DAY)?.resourceId).toBe('r2');
    expect(liveUse(state, at(2 * DAY), DAY)).toBeNull();
  });
});

describe('the Idempotency-Key header', () => {
  const request = { kind: 'reminder', owner: null, route: 'POST /api/v1/reminders', body: { a: 1, b: [1, { c: 2, d: null }] } };

  it('reads a bare key and a structured-field string alike', () => {
    expect(idempotencyKeyOf('abc-123', request)?.value).toBe('abc-123');
    expect(idempotencyKeyOf('"abc-123"', request)?.value).toBe('abc-123');
    expect(idempotencyKeyOf(undefined, request)).toBeNull();
  });

  it.each([[''], ['x'.repeat(256)], ['naïve'], ['a\tb']])('refuses %j with a 400 saying what a key is', (header) => {
    expect(() => idempotencyKeyOf(header, request)).toThrow(/Idempotency-Key must be 1-255 visible ASCII characters/);
  });

  it('fingerprints the request, not the order of its fields', () => {
    expect(fingerprintOf('r', { a: 1, b: { c: 2, d: [1, 2] } })).toBe(fingerprintOf('r', { b: { d: [1, 2], c: 2 }, a: 1 }));
    expect(fingerprintOf('r', { a: 1 })).not.toBe(fingerprintOf('r', { a: 2 }));
    expect(fingerprintOf('r', { a: [1, 2] })).not.toBe(fingerprintOf('r', { a: [2, 1] }));
    expect(fingerprintOf('r1', { a: 1 })).not.toBe(fingerprintOf('r2', { a: 1 }));
  });
});
