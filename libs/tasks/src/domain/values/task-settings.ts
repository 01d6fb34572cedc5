import { integerRangeProblem } from '@herald/kernel';
import { TASK_LIMITS } from './limits';

/** Returns why `value` cannot be a task's priority (0 lowest, 9 highest), or null when it can. */
export const priorityProblem = (value: unknown): string | null =>
  integerRangeProblem('priority', value, TASK_LIMITS.minPriority, TASK_LIMITS.maxPriority);

/** Returns why `value` cannot be how many leases may fail or lapse before the task fails, or null. */
export const maxAttemptsProblem = (value: unknown): string | null =>
  integerRangeProblem('maxAttempts', value, TASK_LIMITS.minAttempts, TASK_LIMITS.maxAttempts);

/** Returns why `value` cannot be how long a lease lives without a heartbeat, or null when it can. */
export const heartbeatTimeoutProblem = (value: unknown): string | null =>
  integerRangeProblem('heartbeatTimeoutMs', value, TASK_LIMITS.minHeartbeatTimeoutMs, TASK_LIMITS.maxHeartbeatTimeoutMs);
