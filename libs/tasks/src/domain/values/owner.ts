import { TASK_LIMITS } from './limits';

/** Returns why `value` cannot be a task's owner, or null when it can (null: no owner). */
export function ownerProblem(value: unknown): string | null {
  if (value === null) return null;
  if (typeof value !== 'string' || value.length === 0 || value.length > TASK_LIMITS.maxOwnerLength) {
    return `owner must be null or a string of 1-${TASK_LIMITS.maxOwnerLength} characters`;
  }
  return null;
}
