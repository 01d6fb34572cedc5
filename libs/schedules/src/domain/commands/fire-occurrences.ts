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

/** Enumerating occurrences stops here: a schedule firing every second that was down for 3 hours. */
export const MAX_ENUMERATED = 10_000;

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
  const { catchup } = state.spec;
  const due = dueOccurrences(state, horizon);
  const windowStart = now.getTime() - catchup.windowMs;
  const inWindow = due.filter((t) => Date.parse(t) >= windowStart);
  const overdue = inWindow.filter((t) => now.getTime() - Date.parse(t) > graceMs);
  const onTime = inWindow.filter((t) => now.getTime() - Date.parse(t) <= graceMs);
  const caughtUp = catchup.policy === 'skip' ? [] : overdue.slice(-(catchup.policy === 'latest' ? 1 : catchup.max));
  const fire = [...caughtUp, ...onTime];
  const missed = due.filter((t) => !fire.includes(t));
  const events: ScheduleEvent[] = [];
  if (missed.length > 0) events.push(missedEvent(state, missed, now));
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
  return [finished, occurrenceFired({ scheduleId, scheduledFor: state.buffered, firedAt: at, manual: false, target: state.spec.target })];
}

/** nextRunAt and every later occurrence up to the horizon (and endAt), oldest first. */
function dueOccurrences(state: ScheduleState, horizon: Date): string[] {
  const rule = ruleOf(state.spec);
  const end = Math.min(horizon.getTime(), state.spec.endAt ? Date.parse(state.spec.endAt) : Infinity);
  const due = [state.nextRunAt!];
  for (let at = rule.next(new Date(state.nextRunAt!)); at && at.getTime() <= end && due.length < MAX_ENUMERATED; at = rule.next(at)) {
    due.push(at.toISOString());
  }
  return due;
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
      events.push(occurrenceFired({ scheduledFor, scheduleId, firedAt: at, manual, target: state.spec.target }));
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

function missedEvent(state: ScheduleState, missed: string[], now: Date): ScheduleEvent {
  return occurrencesMissed({
    scheduleId: state.scheduleId,
    scheduledFor: missed.slice(-MISSED_LISTED),
    count: missed.length,
    from: missed[0],
    to: missed[missed.length - 1],
    recordedAt: now.toISOString(),
  });
}

function planNext(state: ScheduleState, horizon: Date, now: Date): ScheduleEvent[] {
  const nextRunAt = nextWithin(ruleOf(state.spec), state.spec, horizon);
  const planned = nextRunPlanned({ scheduleId: state.scheduleId, nextRunAt });
  return nextRunAt ? [planned] : [planned, scheduleEnded({ scheduleId: state.scheduleId, endedAt: now.toISOString() })];
}
