import { DomainError, conflict, invalid, notFound } from '@herald/kernel';
import { DefinedTask, LeasedTask, TaskState, isLeasedStatus } from '../task-state';
import { reasonProblem } from '../values/reason';

export function assertTaskExists(state: TaskState, taskId: string): asserts state is DefinedTask {
  if (state === null) throw taskNotFound(taskId);
}

/**
 * A worker may heartbeat, complete, fail or release only while it holds the
 * current lease. A worker that lost it (lease lapsed, task paused or cancelled,
 * leased again) gets LeaseLost and must stop: its work is no longer wanted.
 */
export function assertLeaseHeld(state: TaskState, taskId: string, token: string): asserts state is LeasedTask {
  assertTaskExists(state, taskId);
  if (isLeasedStatus(state.status) && state.lease !== null && state.lease.token === token) return;
  const why: string[] = [];
  if (state.lapsedLease !== null && state.lapsedLease.token === token) why.push(`the lease lapsed at ${state.lapsedLease.lapsedAt}`);
  if (state.lease !== null) why.push(`the task was leased again (attempt ${state.attempt})`);
  else why.push(`the task is ${state.status}`);
  throw conflict('LeaseLost', `lease ${token} on task ${taskId} is no longer held: ${why.join(' and ')}`);
}

/** The conflict for a user command the task's status does not allow. */
export const stateConflict = (state: DefinedTask, action: string): DomainError =>
  conflict('TaskStateConflict', `task ${state.taskId} is ${state.status} and cannot be ${action}`);

/** A command's optional reason as recorded (absent → null), or invalid when too long. */
export function checkedReason(reason: string | undefined): string | null {
  const problem = reasonProblem(reason);
  if (problem) throw invalid('InvalidTaskCommand', problem);
  return reason ?? null;
}

/** `{ scheduleId, scheduledFor }` for a task a schedule enqueued, else nothing: spread into its final events. */
export function scheduleRef(state: { scheduleId: string | null; scheduledFor: string | null }): { scheduleId?: string; scheduledFor?: string } {
  return state.scheduleId && state.scheduledFor ? { scheduleId: state.scheduleId, scheduledFor: state.scheduledFor } : {};
}

/** The one answer for a task that does not exist, or is not the caller's to see. */
export const taskNotFound = (taskId: string) => notFound('TaskNotFound', `task ${taskId} does not exist`);
