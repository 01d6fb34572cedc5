import { TaskEvent, taskCompleted } from '../../events/task-events';
import { TaskState } from '../../task-state';
import { assertLeaseHeld, scheduleRef } from '../task-guards';

export interface CompleteTask {
  readonly type: 'CompleteTask';
  readonly taskId: string;
  readonly token: string;
  readonly result?: unknown;
  readonly now: Date;
}

/** Done work is reported honestly: completing wins over a pause or cancel requested too late. */
export function completeTask(command: CompleteTask, state: TaskState): TaskEvent[] {
  assertLeaseHeld(state, command.taskId, command.token);
  return [
    taskCompleted({
      taskId: command.taskId,
      token: command.token,
      attempt: state.attempt,
      result: command.result ?? null,
      completedAt: command.now.toISOString(),
      ...scheduleRef(state),
    }),
  ];
}
