import { TASK_LIMITS } from './limits';

/** Returns why a task enqueued at `now` cannot first be due at `runAt`, or null (null runAt: due at once). */
export function runAtProblem(runAt: Date | null, now: Date): string | null {
  if (runAt === null) return null;
  const t = runAt instanceof Date ? runAt.getTime() : Number.NaN;
  if (Number.isNaN(t)) return 'runAt must be a valid ISO-8601 date-time';
  if (t - now.getTime() > TASK_LIMITS.maxDelayMs) return 'runAt must be within 10 years from now';
  if (now.getTime() - t > TASK_LIMITS.maxPastMs) return 'runAt must not be more than 24 hours in the past';
  return null;
}
