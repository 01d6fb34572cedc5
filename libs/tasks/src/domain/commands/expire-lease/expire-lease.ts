import { TaskEvent, taskCancelled, taskFailed, taskLeaseLapsed, taskPaused } from '../../events/task-events';
import { TaskState } from '../../task-state';
import { assertTaskExists, scheduleRef } from '../task-guards';

export interface ExpireLease {
  readonly type: 'ExpireLease';
  readonly taskId: string;
  /** The lease the scheduler's timer was set for. */
  readonly token: string;
  readonly now: Date;
}

/**
 * Fired by the scheduler when a lease is due to expire. Nothing happens when
 * that lease has already ended or a heartbeat extended it (the scheduler
 * fires again at the new expiry). A lapsed lease spends its attempt; a pending
 * cancel or pause takes effect, unless the attempts are spent: then the task
 * fails, as it would had the worker reported a failure.
 */
export function expireLease(command: ExpireLease, state: TaskState): TaskEvent[] {
  const { taskId, token, now } = command;
  assertTaskExists(state, taskId);
  const lease = state.lease;
  if (lease === null || lease.token !== token || now.getTime() < Date.parse(lease.expiresAt)) return [];
  const lapsedAt = now.toISOString();
  const lapsed = taskLeaseLapsed({ taskId, token, attempt: state.attempt, lapsedAt });
  if (state.status === 'Cancelling')
    return [lapsed, taskCancelled({ taskId, reason: state.requestReason, cancelledAt: lapsedAt, ...scheduleRef(state) })];
  if (state.attempt >= state.maxAttempts) {
    return [
      lapsed,
      taskFailed({ taskId, attempts: state.attempt, error: 'lease lapsed', reason: 'lease-lapsed', failedAt: lapsedAt, ...scheduleRef(state) }),
    ];
  }
  if (state.status === 'Pausing') {
    return [lapsed, taskPaused({ taskId, reason: state.requestReason, checkpoint: state.checkpoint, pausedAt: lapsedAt })];
  }
  return [lapsed];
}
