import { RetryPolicy, retryDelayMs } from '@herald/kernel';
import { TaskEvent, taskAttemptFailed, taskCancelled, taskFailed, taskPaused } from '../../events/task-events';
import { TaskState } from '../../task-state';
import { truncateError } from '../../values/error-text';
import { assertLeaseHeld, scheduleRef } from '../task-guards';

export interface FailTask {
  readonly type: 'FailTask';
  readonly taskId: string;
  readonly token: string;
  /** Cut to TASK_LIMITS.maxErrorLength, never refused. */
  readonly error: string;
  /** false: retrying cannot help (bad params…), the task fails at once. */
  readonly retryable: boolean;
  readonly retryPolicy: RetryPolicy;
  /** Random in [0, 1), drawn by the caller: keeps this decision deterministic. */
  readonly jitter: number;
  readonly now: Date;
}

/**
 * Cancelling: the cancel wins (the task ends Cancelled). Otherwise a retryable
 * failure with attempts left is retried after a backoff, or parked Paused when
 * a pause was requested; anything else fails the task.
 */
export function failTask(command: FailTask, state: TaskState): TaskEvent[] {
  const { taskId, token, now } = command;
  assertLeaseHeld(state, taskId, token);
  const error = truncateError(command.error);
  const failedAt = now.toISOString();
  const attempt = state.attempt;
  const attemptFailed = (retryAt: string | null) => taskAttemptFailed({ taskId, token, attempt, error, retryAt, failedAt });
  if (state.status === 'Cancelling') {
    return [attemptFailed(null), taskCancelled({ taskId, reason: state.requestReason, cancelledAt: failedAt, ...scheduleRef(state) })];
  }
  if (command.retryable && attempt < state.maxAttempts) {
    const retryAt = new Date(now.getTime() + retryDelayMs(command.retryPolicy, attempt, command.jitter, null)).toISOString();
    if (state.status === 'Pausing') {
      return [attemptFailed(retryAt), taskPaused({ taskId, reason: state.requestReason, checkpoint: state.checkpoint, pausedAt: failedAt })];
    }
    return [attemptFailed(retryAt)];
  }
  return [
    attemptFailed(null),
    taskFailed({
      taskId,
      attempts: attempt,
      error,
      reason: command.retryable ? 'attempts-exhausted' : 'not-retryable',
      failedAt,
      ...scheduleRef(state),
    }),
  ];
}
