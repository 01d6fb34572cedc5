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
 * fires again at the new expiry). A pending pause or cancel takes effect:
 * a Pausing task is always Paused, and its attempt is not spent (the worker
 * was asked to stop, as when it releases, so the resumed task gets the same
 * attempt again and `attempt` never exceeds `maxAttempts`). A Running lease
 * spends its attempt: Queued for the next one, or Failed when none is left,
 * as had the worker reported a failure.
 */
export function expireLease(command: ExpireLease, state: TaskState): TaskEvent[] {
  const { taskId, token, now } = command;
  assertTaskExists(state, taskId);
  const lease = state.lease;
  if (lease === null || lease.token !== token || now.getTime() < Date.parse(lease.expiresAt)) return [];
  const lapsedAt = now.toISOString();
  const attempt = state.attempt;
  if (state.status === 'Pausing') {
    return [
      taskLeaseLapsed({ taskId, token, attempt, spent: false, lapsedAt }),
      taskPaused({ taskId, reason: state.requestReason, checkpoint: state.checkpoint, pausedAt: lapsedAt }),
    ];
  }
  const lapsed = taskLeaseLapsed({ taskId, token, attempt, lapsedAt });
  if (state.status === 'Cancelling')
    return [lapsed, taskCancelled({ taskId, reason: state.requestReason, cancelledAt: lapsedAt, ...scheduleRef(state) })];
  if (attempt >= state.maxAttempts) {
    return [
      lapsed,
      taskFailed({ taskId, attempts: attempt, error: 'lease lapsed', reason: 'lease-lapsed', failedAt: lapsedAt, ...scheduleRef(state) }),
    ];
  }
  return [lapsed];
}
