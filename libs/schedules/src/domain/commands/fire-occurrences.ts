import {
  MISSED_LISTED,
  ScheduleEvent,
  nextRunPlanned,
  occurrenceBuffered,
  occurrenceFired,
  occurrenceSkipped,
  occurrencesMissed,
  runFinished,
  scheduleEnded,
} from '../events/schedule-events';
import { ScheduleAggregate, ScheduleState } from '../schedule-state';
import { isTaskTarget } from '../values/schedule-target';
import { assertScheduleExists, nextWithin, ruleOf, stateConflict } from './schedule-guards';

/** The scheduler's timer for nextRunAt went off (or the scheduler came back after an outage). */
export interface FireDueOccurrences {
  readonly type: 'FireDueOccurrences';
  readonly scheduleId: string;
  readonly now: Date;
  /** An occurrence later than this is overdue (missed while down), not merely late: the catch-up policy decides it. */
  readonly graceMs: number;
  /**
   * Occurrences up to this far ahead are decided now: their reminder or task
   * is created due at the occurrence itself, so the reminder and task
   * machinery (precise timers) delivers it on time. 0: decide at the instant.
   */
  readonly leadMs: number;
}

/** One extra run now, outside the cron. */
export interface TriggerSchedule {
  readonly type: 'TriggerSchedule';
  readonly scheduleId: string;
  readonly now: Date;
}

/** The task of a fired occurrence finished, whatever its outcome. */
export interface RecordRunFinished {
  readonly type: 'RecordRunFinished';
  readonly scheduleId: string;
  readonly scheduledFor: string;
  readonly now: Date;
}

/**
 * Counting missed occurrences stops here (a schedule firing every second
 * that was down for days): the count is then a lower bound, flagged as such.
 * Firing never depends on it: what fires is found from the newest backwards.
 */
export const MAX_COUNTED = 10_000;

/**
 * Every occurrence from nextRunAt up to now, once: on time ones fire; those
 * older than the grace are overdue and go by the catch-up policy; those older
 * than the catch-up window are missed whatever it says. Then the next one is
 * planned, or the schedule ends. A stale timer (paused, moved on) decides nothing.
 */
export function fireDueOccurrences(command: FireDueOccurrences, state: ScheduleAggregate): ScheduleEvent[] {
  const { now, graceMs, leadMs } = command;
  const horizon = new Date(now.getTime() + leadMs);
  if (!state || state.status !== 'Active' || !state.nextRunAt || Date.parse(state.nextRunAt) > horizon.getTime()) return [];
  const { fire, missed } = sortDue(state, now, horizon, graceMs);
  const events: ScheduleEvent[] = [];
  if (missed) events.push(missedEvent(state, missed, now));
  events.push(...runOrHold(state, fire, now, false));
  return [...events, ...planNext(state, horizon, now)];
}

/** Runs under the overlap policy like any occurrence; a paused schedule can be triggered too. */
export function triggerSchedule(command: TriggerSchedule, state: ScheduleAggregate): ScheduleEvent[] {
  assertScheduleExists(state, command.scheduleId);
  if (state.status === 'Ended') throw stateConflict(state, 'triggered');
  return runOrHold(state, [command.now.toISOString()], command.now, true);
}

/** Frees the overlap slot; a buffered occurrence fires now. Repeats decide nothing. */
export function recordRunFinished(command: RecordRunFinished, state: ScheduleAggregate): ScheduleEvent[] {
  if (!state || !state.running.includes(command.scheduledFor)) return [];
  const { scheduleId } = state;
  const at = command.now.toISOString();
  const finished = runFinished({ scheduleId, scheduledFor: command.scheduledFor, finishedAt: at });
  if (!state.buffered || state.deleted) return [finished];
  return [
    finished,
    occurrenceFired({ scheduleId, scheduledFor: state.buffered, firedAt: at, manual: false, target: state.spec.target, ...ownerOf(state) }),
  ];
}

interface Missed {
  /** The newest ones, newest first, up to MISSED_LISTED. */
  readonly listed: string[];
  readonly count: number;
  readonly countIsLowerBound: boolean;
}

/**
 * Which due occurrences (nextRunAt up to the horizon and endAt) fire and
 * which are missed. Walked from the newest back: on-time ones fire; then
 * overdue ones within the catch-up window, as many as the policy takes; the
 * first one left over and everything older are missed. So however long the
 * outage, the occurrences that fire are the right ones, and the walk stops
 * after MISSED_LISTED missed ones (the rest are only counted).
 */
function sortDue(state: ScheduleState, now: Date, horizon: Date, graceMs: number): { fire: string[]; missed: Missed | null } {
  const { catchup } = state.spec;
  const windowStart = now.getTime() - catchup.windowMs;
  const catchUps = catchup.policy === 'skip' ? 0 : catchup.policy === 'latest' ? 1 : catchup.max;
  const fire: string[] = [];
  const listed: string[] = [];
  let overdueFired = 0;
  let exhausted = true;
  for (const at of newestFirst(state, horizon)) {
    const late = now.getTime() - Date.parse(at);
    const catchingUp = Date.parse(at) >= windowStart && overdueFired < catchUps;
    if (listed.length === 0 && (late <= graceMs || catchingUp)) {
      fire.push(at);
      if (late > graceMs) overdueFired++;
    } else if (listed.length < MISSED_LISTED) listed.push(at);
    else {
      exhausted = false;
      break;
    }
  }
  fire.reverse();
  if (listed.length === 0) return { fire, missed: null };
  if (exhausted) return { fire, missed: { listed, count: listed.length, countIsLowerBound: false } };
  const older = countFrom(state, new Date(listed[listed.length - 1]));
  return { fire, missed: { listed, count: listed.length + older.count, countIsLowerBound: older.capped } };
}

/** The due occurrences newest first: the rule's, up to the horizon and endAt and after nextRunAt, then nextRunAt itself. */
function* newestFirst(state: ScheduleState, horizon: Date): Generator<string> {
  const rule = ruleOf(state.spec);
  const first = state.nextRunAt!;
  const end = Math.min(horizon.getTime(), state.spec.endAt ? Date.parse(state.spec.endAt) : Infinity);
  const second = rule.next(new Date(first));
  // The usual case, one due: the one search the old forward walk made, answered from the rule's memo.
  if (second && second.getTime() <= end) {
    let before = new Date(end + 1); // an occurrence at the horizon itself is due
    for (let chunk = 8; ; chunk = Math.min(chunk * 2, 512)) {
      const page = rule.previous(before, chunk).filter((at) => at.getTime() > Date.parse(first));
      for (const at of page) yield at.toISOString();
      if (page.length < chunk) break;
      before = page[page.length - 1];
    }
  }
  yield first;
}

/** The due occurrences from nextRunAt up to (not including) `until`, counted up to MAX_COUNTED. */
function countFrom(state: ScheduleState, until: Date): { count: number; capped: boolean } {
  const rule = ruleOf(state.spec);
  let count = 1; // nextRunAt itself
  for (let at = rule.next(new Date(state.nextRunAt!)); at && at < until; at = rule.next(at)) {
    if (count >= MAX_COUNTED) return { count, capped: true };
    count++;
  }
  return { count, capped: false };
}

/**
 * Task targets honour the overlap policy while an earlier occurrence's task
 * runs: `skip` records a skip, `bufferOne` holds one back (a later one while
 * one is held is skipped), `allow` fires. Reminder targets always fire.
 */
function runOrHold(state: ScheduleState, occurrences: string[], now: Date, manual: boolean): ScheduleEvent[] {
  const { scheduleId } = state;
  const at = now.toISOString();
  const events: ScheduleEvent[] = [];
  let busy = state.running.length > 0;
  let buffered = state.buffered;
  for (const scheduledFor of occurrences) {
    const overlapping = isTaskTarget(state.spec.target) && busy;
    if (!overlapping || state.spec.overlap === 'allow') {
      events.push(occurrenceFired({ scheduledFor, scheduleId, firedAt: at, manual, target: state.spec.target, ...ownerOf(state) }));
      busy = true;
    } else if (state.spec.overlap === 'bufferOne' && !buffered) {
      events.push(occurrenceBuffered({ scheduleId, scheduledFor, bufferedAt: at }));
      buffered = scheduledFor;
    } else {
      events.push(occurrenceSkipped({ scheduleId, scheduledFor, reason: 'overlap', skippedAt: at }));
    }
  }
  return events;
}

/** The schedule's owner travels with each occurrence, so the reminder it creates is the owner's too. */
const ownerOf = (state: ScheduleState) => (state.owner ? { owner: state.owner } : {});

function missedEvent(state: ScheduleState, missed: Missed, now: Date): ScheduleEvent {
  return occurrencesMissed({
    scheduleId: state.scheduleId,
    scheduledFor: [...missed.listed].reverse(),
    count: missed.count,
    ...(missed.countIsLowerBound ? { countIsLowerBound: true } : {}),
    from: state.nextRunAt!,
    to: missed.listed[0],
    recordedAt: now.toISOString(),
  });
}

function planNext(state: ScheduleState, horizon: Date, now: Date): ScheduleEvent[] {
  const nextRunAt = nextWithin(ruleOf(state.spec), state.spec, horizon);
  const planned = nextRunPlanned({ scheduleId: state.scheduleId, nextRunAt });
  return nextRunAt ? [planned] : [planned, scheduleEnded({ scheduleId: state.scheduleId, endedAt: now.toISOString() })];
}
