import { CronRule, cronProblem } from './cron-rule';
import { timeZoneProblem } from './time-zone';

const next = (pattern: string, timeZone: string, after: string, count = 4) =>
  CronRule.of(pattern, timeZone)
    .upcoming(new Date(after), count)
    .map((d) => d.toISOString());

// 2027: Europe/Berlin springs forward on 28 March (02:00 CET → 03:00 CEST, 01:00Z) and falls back
// on 31 October (03:00 CEST → 02:00 CET, 01:00Z); America/New_York on 14 March (02:00 EST →
// 03:00 EDT, 07:00Z) and 7 November (02:00 EDT → 01:00 EST, 06:00Z).
describe('CronRule: occurrences in a time zone', () => {
  describe('a fixed-time pattern across daylight saving changes', () => {
    it('fires a local time the spring-forward skips once, at the first instant after the gap (Berlin)', () => {
      expect(next('30 2 * * *', 'Europe/Berlin', '2027-03-26T12:00:00Z', 3)).toEqual([
        '2027-03-27T01:30:00.000Z', // 02:30 CET
        '2027-03-28T01:00:00.000Z', // 02:30 does not exist: 03:00 CEST
        '2027-03-29T00:30:00.000Z', // 02:30 CEST
      ]);
    });

    it('fires two skipped local times of one pattern once between them, at the end of the gap', () => {
      expect(next('15,45 2 * * *', 'Europe/Berlin', '2027-03-27T23:00:00Z', 3)).toEqual([
        '2027-03-28T01:00:00.000Z',
        '2027-03-29T00:15:00.000Z',
        '2027-03-29T00:45:00.000Z',
      ]);
    });

    it('fires a local time the fall-back repeats once, at its first occurrence (Berlin)', () => {
      expect(next('30 2 * * *', 'Europe/Berlin', '2027-10-30T12:00:00Z', 2)).toEqual([
        '2027-10-31T00:30:00.000Z', // 02:30 CEST; not again at 02:30 CET (01:30Z)
        '2027-11-01T01:30:00.000Z',
      ]);
      // Asked from that first occurrence, the repeat is not next either.
      expect(next('0 30 2 * * *', 'Europe/Berlin', '2027-10-31T00:30:00Z', 1)).toEqual(['2027-11-01T01:30:00.000Z']);
    });

    it('follows New York’s own dates in spring and autumn', () => {
      expect(next('30 2 * * *', 'America/New_York', '2027-03-13T12:00:00Z', 2)).toEqual([
        '2027-03-14T07:00:00.000Z', // 02:30 does not exist: 03:00 EDT
        '2027-03-15T06:30:00.000Z',
      ]);
      expect(next('30 1 * * *', 'America/New_York', '2027-11-06T12:00:00Z', 2)).toEqual([
        '2027-11-07T05:30:00.000Z', // 01:30 EDT, not 01:30 EST
        '2027-11-08T06:30:00.000Z',
      ]);
    });
  });

  describe('an interval pattern across daylight saving changes', () => {
    it('fires at every real instant that matches: an hour less in spring, an hour more in autumn (Berlin, hourly)', () => {
      expect(next('0 * * * *', 'Europe/Berlin', '2027-03-27T23:30:00Z', 3)).toEqual([
        '2027-03-28T00:00:00.000Z', // 01:00 CET
        '2027-03-28T01:00:00.000Z', // 03:00 CEST: 02:00 never happened
        '2027-03-28T02:00:00.000Z',
      ]);
      expect(next('0 * * * *', 'Europe/Berlin', '2027-10-30T23:30:00Z', 3)).toEqual([
        '2027-10-31T00:00:00.000Z', // 02:00 CEST
        '2027-10-31T01:00:00.000Z', // 02:00 CET
        '2027-10-31T02:00:00.000Z', // 03:00 CET
      ]);
    });

    it('treats a step in the minutes as an interval even with a fixed hour (Vixie): both passes of 02:xx in autumn, none in spring', () => {
      expect(next('*/30 2 * * *', 'Europe/Berlin', '2027-10-30T23:00:00Z', 5)).toEqual([
        '2027-10-31T00:00:00.000Z',
        '2027-10-31T00:30:00.000Z',
        '2027-10-31T01:00:00.000Z',
        '2027-10-31T01:30:00.000Z',
        '2027-11-01T01:00:00.000Z',
      ]);
      expect(next('*/30 2 * * *', 'Europe/Berlin', '2027-03-27T23:00:00Z', 1)).toEqual(['2027-03-29T00:00:00.000Z']);
    });

    it('keeps every 20 minutes through New York’s repeated hour', () => {
      expect(next('*/20 * * * *', 'America/New_York', '2027-11-07T05:30:00Z', 5)).toEqual([
        '2027-11-07T05:40:00.000Z', // 01:40 EDT
        '2027-11-07T06:00:00.000Z', // 01:00 EST
        '2027-11-07T06:20:00.000Z',
        '2027-11-07T06:40:00.000Z',
        '2027-11-07T07:00:00.000Z',
      ]);
    });
  });

  describe('the pattern language', () => {
    it('reads L (last day of the month)', () => {
      expect(next('0 0 L * *', 'UTC', '2027-01-15T00:00:00Z', 3)).toEqual([
        '2027-01-31T00:00:00.000Z',
        '2027-02-28T00:00:00.000Z',
        '2027-03-31T00:00:00.000Z',
      ]);
    });

    it('reads W (the weekday nearest a day) and # (the nth weekday of the month)', () => {
      // 15 May 2027 is a Saturday: the nearest weekday is Friday the 14th.
      expect(next('0 9 15W * *', 'UTC', '2027-05-01T00:00:00Z', 2)).toEqual(['2027-05-14T09:00:00.000Z', '2027-06-15T09:00:00.000Z']);
      expect(next('0 0 * * 5#2', 'UTC', '2027-01-01T00:00:00Z', 2)).toEqual(['2027-01-08T00:00:00.000Z', '2027-02-12T00:00:00.000Z']);
    });

    it('reads six fields with seconds first, and names of months and weekdays', () => {
      expect(next('*/2 * * * * *', 'UTC', '2027-01-01T00:00:00Z', 3)).toEqual([
        '2027-01-01T00:00:02.000Z',
        '2027-01-01T00:00:04.000Z',
        '2027-01-01T00:00:06.000Z',
      ]);
      expect(next('0 9 * JAN MON-FRI', 'Europe/Berlin', '2027-01-01T00:00:00Z', 2)).toEqual(['2027-01-01T08:00:00.000Z', '2027-01-04T08:00:00.000Z']);
    });

    it('stops at `until`, and has no occurrence for a date that never comes', () => {
      const rule = CronRule.of('0 0 * * *', 'UTC');
      expect(rule.upcoming(new Date('2027-01-01T00:00:00Z'), 10, new Date('2027-01-03T00:00:00Z')).map((d) => d.toISOString())).toEqual([
        '2027-01-02T00:00:00.000Z',
        '2027-01-03T00:00:00.000Z',
      ]);
      expect(CronRule.of('0 0 30 2 *', 'UTC').next(new Date('2027-01-01T00:00:00Z'))).toBeNull();
    });

    it.each([
      ['30 2 * * *', 'Europe/Berlin', '2027-03-20T00:00:00Z'],
      ['30 2 * * *', 'Europe/Berlin', '2027-10-25T00:00:00Z'],
      ['*/20 1-3 * * *', 'America/New_York', '2027-11-06T00:00:00Z'],
      ['0 * * * *', 'America/New_York', '2027-03-13T20:00:00Z'],
      ['0 9 L * *', 'UTC', '2027-01-01T00:00:00Z'],
      ['0 9 * * MON#2', 'Europe/Berlin', '2027-01-01T00:00:00Z'],
      ['*/7 * * * * *', 'UTC', '2027-01-01T00:00:00Z'],
    ])('walks back over the same occurrences it walks forward over: %s in %s', (pattern, zone, from) => {
      const rule = CronRule.of(pattern, zone);
      const forward = rule.upcoming(new Date(from), 30);
      const back = rule.previous(forward[29], 29).reverse();
      expect(back.map((d) => d.toISOString())).toEqual(forward.slice(0, 29).map((d) => d.toISOString()));
    });

    it('answers a repeated ask as the first time, whatever was asked in between or done to the answer', () => {
      const rule = CronRule.of('17 * * * * *', 'UTC');
      const first = rule.next(new Date('2027-01-01T00:00:00Z'))!;
      first.setFullYear(1999); // a caller mutating its answer must not change the next caller's
      expect(rule.next(new Date('2027-01-01T00:00:00Z'))!.toISOString()).toBe('2027-01-01T00:00:17.000Z');
      expect(rule.next(new Date('2027-01-01T00:00:17Z'))!.toISOString()).toBe('2027-01-01T00:01:17.000Z');
      expect(rule.next(new Date('2027-01-01T00:00:00Z'))!.toISOString()).toBe('2027-01-01T00:00:17.000Z');
    });
  });

  describe('what it refuses, and why', () => {
    it.each([
      ['', /cron must be 5 fields/],
      ['* * * *', /has 4/],
      ['0 0 0 * * * *', /has 7/],
      ['61 * * * *', /minute/],
      ['* * 32 * *', /day/],
      [42, /cron must be 5 fields/],
    ])('cron %p', (value, message) => expect(cronProblem(value)).toMatch(message));

    it('accepts what it can read', () => {
      expect([cronProblem('0 9 * * MON-FRI'), cronProblem('*/2 * * * * *'), cronProblem('0 0 L * *')]).toEqual([null, null, null]);
    });

    it('knows IANA zone names and refuses others', () => {
      expect([timeZoneProblem('Europe/Berlin'), timeZoneProblem('UTC'), timeZoneProblem('America/New_York')]).toEqual([null, null, null]);
      expect(timeZoneProblem('Mars/Olympus_Mons')).toMatch(/timeZone must be an IANA time zone name.*"Mars\/Olympus_Mons" is not one/);
      expect(timeZoneProblem('')).toMatch(/timeZone must be/);
      expect(() => CronRule.of('0 0 * * *', 'Nowhere/City')).toThrow(RangeError);
    });
  });
});
