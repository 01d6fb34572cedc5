import { TaskEvent, taskPauseRequested, taskPaused } from '../../events/task-events';
import { TaskState } from '../../task-state';
import { assertTaskExists, checkedReason, stateConflict } from '../task-guards';

export interface PauseTask {
  readonly type: 'PauseTask';
  readonly taskId: string;
  readonly reason?: string;
  readonly now: Date;
}

/** A queued task pauses at once; a running one is asked to, and pauses when its worker releases it. */
export function pauseTask(command: PauseTask, state: TaskState): TaskEvent[] {
  const { taskId, now } = command;
  assertTaskExists(state, taskId);
  const reason = checkedReason(command.reason);
  switch (state.status) {
    case 'Queued':
      return [taskPaused({ taskId, reason, checkpoint: state.checkpoint, pausedAt: now.toISOString() })];
    case 'Running':
      return [taskPauseRequested({ taskId, reason, requestedAt: now.toISOString() })];
    default:
      throw stateConflict(state, 'paused');
  }
}
