import { conflict, invalid, notFound } from '@herald/kernel';
import { ScheduleSpec } from '../events/schedule-events';
import { ScheduleAggregate, ScheduleState } from '../schedule-state';
import { CronRule } from '../values/cron-rule';

export function assertScheduleExists(state: ScheduleAggregate, scheduleId: string): asserts state is ScheduleState {
  if (!state) throw scheduleNotFound(scheduleId);
}

/** The one answer for a schedule that does not exist, or is not the caller's to see. */
export const scheduleNotFound = (scheduleId: string) => notFound('ScheduleNotFound', `schedule ${scheduleId} does not exist`);

export const stateConflict = (state: ScheduleState, action: string) =>
  conflict('ScheduleStateConflict', `schedule ${state.scheduleId} is ${state.deleted ? 'deleted' : state.status}; it cannot be ${action}`);

/** The rule of a spec; a pattern or zone it cannot read is a 400 naming the field. */
export function ruleOf(spec: Pick<ScheduleSpec, 'cron' | 'timeZone'>): CronRule {
  try {
    return CronRule.of(spec.cron, spec.timeZone);
  } catch (error) {
    throw invalid('InvalidSchedule', (error as Error).message);
  }
}

/**
 * When planning may start: now, or after the latest occurrence already
 * decided (one fired ahead of its time by the lead), whichever is later, so a
 * resume or a PATCH within the lead never plans that occurrence again.
 */
export function planFrom(state: Pick<ScheduleState, 'lastDecidedFor'>, now: Date): Date {
  return state.lastDecidedFor && Date.parse(state.lastDecidedFor) > now.getTime() ? new Date(state.lastDecidedFor) : now;
}

/**
 * The first occurrence after `after` that lies within [startAt, endAt], or
 * null when there is none. ISO strings in and out.
 */
export function nextWithin(rule: CronRule, spec: Pick<ScheduleSpec, 'startAt' | 'endAt'>, after: Date): string | null {
  const start = spec.startAt ? Date.parse(spec.startAt) : -Infinity;
  // An occurrence exactly at startAt counts: look from just before it.
  const from = new Date(Math.max(after.getTime(), start - 1));
  const next = rule.next(from);
  if (!next || (spec.endAt && next.getTime() > Date.parse(spec.endAt))) return null;
  return next.toISOString();
}
