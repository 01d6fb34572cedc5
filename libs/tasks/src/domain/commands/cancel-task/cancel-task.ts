import { TaskEvent, taskCancelRequested, taskCancelled } from '../../events/task-events';
import { TaskState } from '../../task-state';
import { assertTaskExists, checkedReason, stateConflict, scheduleRef } from '../task-guards';

export interface CancelTask {
  readonly type: 'CancelTask';
  readonly taskId: string;
  readonly reason?: string;
  readonly now: Date;
}

/** A task nobody works on is cancelled at once; a leased one is asked to stop, and is cancelled when its worker lets go. */
export function cancelTask(command: CancelTask, state: TaskState): TaskEvent[] {
  const { taskId, now } = command;
  assertTaskExists(state, taskId);
  const reason = checkedReason(command.reason);
  switch (state.status) {
    case 'Queued':
    case 'Paused':
      return [taskCancelled({ taskId, reason, cancelledAt: now.toISOString(), ...scheduleRef(state) })];
    case 'Running':
    case 'Pausing':
      return [taskCancelRequested({ taskId, reason, requestedAt: now.toISOString() })];
    default:
      throw stateConflict(state, 'cancelled');
  }
}
