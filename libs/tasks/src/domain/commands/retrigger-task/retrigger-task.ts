import { TaskEvent, taskRetriggered } from '../../events/task-events';
import { TaskState } from '../../task-state';
import { assertTaskExists, checkedReason, stateConflict } from '../task-guards';

export interface RetriggerTask {
  readonly type: 'RetriggerTask';
  readonly taskId: string;
  readonly reason?: string;
  /** true: start from the stored checkpoint; false: start from scratch. */
  readonly fromCheckpoint: boolean;
  readonly now: Date;
}

/** A failed or cancelled task is queued again, due at once, with a fresh budget of attempts. */
export function retriggerTask(command: RetriggerTask, state: TaskState): TaskEvent[] {
  const { taskId, fromCheckpoint, now } = command;
  assertTaskExists(state, taskId);
  const reason = checkedReason(command.reason);
  if (state.status !== 'Failed' && state.status !== 'Cancelled') throw stateConflict(state, 'retriggered');
  return [taskRetriggered({ taskId, reason, fromCheckpoint, retriggeredAt: now.toISOString() })];
}
