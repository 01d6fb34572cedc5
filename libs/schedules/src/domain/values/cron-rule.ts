import { Cron } from 'croner';
import { timeZoneProblem } from './time-zone';

const MAX_PARSED = 10_000;
const parsed = new Map<string, CronRule>();
const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'UCT', 'Etc/UCT', 'GMT', 'Etc/GMT', 'Etc/Universal', 'Universal', 'Etc/Zulu', 'Zulu']);

/**
 * When a schedule fires: a cron pattern read in a time zone. The occurrence
 * math is croner's (5 fields, or 6 with seconds first; L, W, #, ranges,
 * steps, month and weekday names), with Vixie cron's daylight-saving rule:
 *
 * - a *fixed-time* pattern — seconds, minutes and hours with no `*` and no
 *   step, e.g. `30 2 * * *` or `0 15,45 2 * * *` — fires a local time that
 *   does not exist (clocks spring forward) once, at the first instant after
 *   the gap, and a local time that happens twice (clocks fall back) once, at
 *   its first occurrence;
 * - any other pattern (`0 * * * *`, `*\/30 2 * * *`) is an *interval*: it
 *   fires at every real instant that matches, so nothing in the gap and both
 *   passes of a repeated hour.
 *
 * Pure: a function of the pattern, the zone and the instant asked about.
 */
export class CronRule {
  private readonly cron: Cron;
  private lastFrom = NaN;
  private lastNext: number | null = null;

  private constructor(
    readonly pattern: string,
    readonly timeZone: string,
  ) {
    // UTC has no daylight saving: a fixed offset gives the same instants without croner's Intl zone
    // conversions, about 7 times faster (and UTC is the default zone).
    const zone = UTC_NAMES.has(timeZone) ? { utcOffset: 0 } : { timezone: timeZone };
    this.cron = new Cron(pattern, { ...zone, paused: true, mode: '5-or-6-parts', fixedTimeRule: 'no-wildcard' });
  }

  /**
   * Throws a RangeError naming the rule when the pattern or zone is not one.
   * Rules are immutable and pure, so each (pattern, zone) is parsed once and
   * shared: thousands of schedules decide every minute on a few patterns.
   */
  static of(pattern: string, timeZone: string): CronRule {
    const key = `${timeZone}\u0000${pattern}`;
    const known = parsed.get(key);
    if (known) return known;
    const problem = cronProblem(pattern) ?? timeZoneProblem(timeZone);
    if (problem) throw new RangeError(problem);
    const rule = new CronRule(pattern, timeZone);
    if (parsed.size >= MAX_PARSED) parsed.delete(parsed.keys().next().value!); // oldest first: a bounded memo, not a leak
    parsed.set(key, rule);
    return rule;
  }

  /**
   * The first occurrence strictly after `after`, or null when the pattern has
   * none left (30 February). The last answer is kept: the schedules sharing a
   * pattern fall due together and each asks from the same instant (twice per
   * decision), so most asks are answered without croner's search.
   */
  next(after: Date): Date | null {
    const from = after.getTime();
    if (from !== this.lastFrom) {
      this.lastFrom = from;
      this.lastNext = this.cron.nextRun(after)?.getTime() ?? null;
    }
    return this.lastNext === null ? null : new Date(this.lastNext);
  }

  /** Up to `count` occurrences strictly before `before`, newest first (croner's own search backwards, same rules). */
  previous(before: Date, count: number): Date[] {
    return this.cron.previousRuns(count, before).filter((at) => at < before);
  }

  /** Up to `count` occurrences strictly after `after`, and not after `until` when given. */
  upcoming(after: Date, count: number, until?: Date): Date[] {
    const out: Date[] = [];
    for (let at = this.next(after); at && out.length < count && (!until || at <= until); at = this.next(at)) out.push(at);
    return out;
  }
}

/** Null when croner reads `value` as a 5- or 6-field pattern, else what to fix. */
export function cronProblem(value: unknown): string | null {
  const rule = 'cron must be 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first';
  if (typeof value !== 'string' || value.trim() === '' || value.length > 200) return rule;
  const fields = value.trim().split(/\s+/).length;
  if (fields !== 5 && fields !== 6) return `${rule}; ${JSON.stringify(value)} has ${fields}`;
  try {
    new Cron(value, { paused: true, mode: '5-or-6-parts' });
    return null;
  } catch (error) {
    return `${rule}: ${(error as Error).message}`;
  }
}
