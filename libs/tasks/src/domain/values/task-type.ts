import { TASK_LIMITS } from './limits';

const TASK_TYPE = /^[A-Za-z0-9._:-]+$/;

/** Returns why `value` cannot name a kind of task (what workers ask for), or null when it can. */
export function taskTypeProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > TASK_LIMITS.maxTypeLength || !TASK_TYPE.test(value)) {
    return `type must be 1-${TASK_LIMITS.maxTypeLength} characters of A-Z a-z 0-9 . _ : -`;
  }
  return null;
}
