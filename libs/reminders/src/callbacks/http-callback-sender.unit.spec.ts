import { parseRetryAfter } from './http-callback-sender';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-23T09:00:00Z');
  it.each([
    ['120', 120_000],
    [' 5 ', 5_000],
    ['Mon, 23 Nov 2026 09:01:00 GMT', 60_000],
    ['Mon, 23 Nov 2026 08:00:00 GMT', 0],
    ['soon', null],
    [undefined, null],
  ])('reads %p as %p ms', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});
