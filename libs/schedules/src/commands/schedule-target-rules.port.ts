/**
 * The reminder and task rules a schedule's target must meet, checked when the
 * schedule is created or changed so that an occurrence never fails on them.
 * Provided by the lib that wires schedules to reminders and tasks (a
 * capability lib imports no other capability), from their own rules.
 */
export const SCHEDULE_TARGET_RULES = Symbol('SCHEDULE_TARGET_RULES');

export interface ScheduleTargetRules {
  /** Null when `target` is `{ reminder: … }` or `{ task: … }` that the reminder or task rules accept; else what to fix, naming the field. */
  problem(target: unknown): string | null;
}
