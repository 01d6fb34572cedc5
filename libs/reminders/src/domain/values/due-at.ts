import { REMINDER_LIMITS } from './limits';

/** Returns why a reminder cannot be due at `dueAt` when defined at `now`, or null. */
export function dueAtProblem(dueAt: Date, now: Date): string | null {
  const t = dueAt.getTime();
  if (Number.isNaN(t)) return 'dueAt must be a valid ISO-8601 date-time';
  if (t - now.getTime() > REMINDER_LIMITS.maxDelayMs) return 'the reminder must fall due within 10 years';
  if (now.getTime() - t > REMINDER_LIMITS.maxPastMs) return 'dueAt must not be more than 24 hours in the past';
  return null;
}
