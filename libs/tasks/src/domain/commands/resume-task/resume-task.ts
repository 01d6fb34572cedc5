import { TaskEvent, taskPauseWithdrawn, taskResumed } from '../../events/task-events';
import { TaskState } from '../../task-state';
import { assertTaskExists, checkedReason, stateConflict } from '../task-guards';

export interface ResumeTask {
  readonly type: 'ResumeTask';
  readonly taskId: string;
  readonly reason?: string;
  readonly now: Date;
}

/** A paused task is queued again (due at once, checkpoint and attempts kept); a pending pause request is withdrawn. */
export function resumeTask(command: ResumeTask, state: TaskState): TaskEvent[] {
  const { taskId, now } = command;
  assertTaskExists(state, taskId);
  const reason = checkedReason(command.reason);
  switch (state.status) {
    case 'Paused':
      return [taskResumed({ taskId, reason, resumedAt: now.toISOString() })];
    case 'Pausing':
      return [taskPauseWithdrawn({ taskId, reason, withdrawnAt: now.toISOString() })];
    default:
      throw stateConflict(state, 'resumed');
  }
}
