import { TASK_LIMITS } from './limits';

/**
 * A worker's error, cut to the limit rather than refused: a failure must always
 * be recordable. Never cuts a surrogate pair in half.
 */
export function truncateError(error: string): string {
  if (error.length <= TASK_LIMITS.maxErrorLength) return error;
  const last = error.charCodeAt(TASK_LIMITS.maxErrorLength - 1);
  const end = last >= 0xd800 && last <= 0xdbff ? TASK_LIMITS.maxErrorLength - 1 : TASK_LIMITS.maxErrorLength;
  return error.slice(0, end);
}
