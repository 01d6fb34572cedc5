import { parseRetryAfter, withoutTraceHeaders } from './http-callback-sender';

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

describe('withoutTraceHeaders', () => {
  it('drops any spelling of traceparent and tracestate a caller stored (Herald sends its own), keeping the rest', () => {
    expect(withoutTraceHeaders({ TraceParent: '00-x', tracestate: 'a=b', Authorization: 'Bearer t' })).toEqual({ Authorization: 'Bearer t' });
  });

  it('hands back the very same object when there is nothing to drop (no copy per callback)', () => {
    const headers = { Authorization: 'Bearer t' };
    expect(withoutTraceHeaders(headers)).toBe(headers);
  });
});
