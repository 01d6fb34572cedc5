import { TASK_LIMITS } from './limits';

/** Returns why `value` cannot be the reason given for pausing, resuming, cancelling or retriggering, or null. */
export function reasonProblem(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length > TASK_LIMITS.maxReasonLength) {
    return `reason must be a string of at most ${TASK_LIMITS.maxReasonLength} characters`;
  }
  return null;
}
