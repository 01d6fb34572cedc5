import { TASK_LIMITS } from './limits';

/** Returns why `value` cannot identify the worker taking a lease, or null when it can. */
export function workerIdProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > TASK_LIMITS.maxWorkerIdLength) {
    return `workerId must be a string of 1-${TASK_LIMITS.maxWorkerIdLength} characters`;
  }
  return null;
}
