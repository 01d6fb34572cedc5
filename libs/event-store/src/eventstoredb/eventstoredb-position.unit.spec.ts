import { decodePosition, encodePosition } from './eventstoredb-position';

const MAX = (1n << 64n) - 1n;

describe('EventStoreDB log position encoding', () => {
  it.each([
    [0n, 0n],
    [1056n, 1056n],
    [4_294_967_296n, 4_294_967_200n],
    [MAX, MAX],
  ])('round-trips commit %s / prepare %s', (commit, prepare) => {
    const encoded = encodePosition({ commit, prepare });
    expect(encoded).toMatch(/^\d{20}:\d{20}$/);
    expect(decodePosition(encoded)).toEqual({ commit, prepare });
  });

  it('sorts as strings in log order: by commit, then prepare', () => {
    const inLogOrder = [
      { commit: 0n, prepare: 0n },
      { commit: 9n, prepare: 9n },
      { commit: 10n, prepare: 3n },
      { commit: 10n, prepare: 10n },
      { commit: 100n, prepare: 99n },
      { commit: 1_000_000_000_000n, prepare: 1_000_000_000_000n },
      { commit: MAX, prepare: 0n },
      { commit: MAX, prepare: MAX },
    ];
    const encoded = inLogOrder.map(encodePosition);
    const shuffled = [...encoded].reverse().sort();
    expect(shuffled).toEqual(encoded);
    for (let i = 1; i < encoded.length; i++) expect(encoded[i - 1] < encoded[i]).toBe(true);
  });

  it('rejects what it did not produce', () => {
    for (const bad of ['', '42', '1:2', 'x'.repeat(41), `${'0'.repeat(20)}:${'0'.repeat(19)}`]) {
      expect(() => decodePosition(bad)).toThrow(/not an EventStoreDB log position/);
    }
  });

  it('rejects positions outside the unsigned 64-bit range', () => {
    expect(() => encodePosition({ commit: -1n, prepare: 0n })).toThrow(RangeError);
    expect(() => encodePosition({ commit: MAX + 1n, prepare: 0n })).toThrow(RangeError);
  });
});
