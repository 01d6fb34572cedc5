import { TaskEvent, taskCancelled, taskPaused, taskReleased } from '../../events/task-events';
import { TaskState } from '../../task-state';
import { assertLeaseHeld, scheduleRef } from '../task-guards';

export interface ReleaseTask {
  readonly type: 'ReleaseTask';
  readonly taskId: string;
  readonly token: string;
  /** Replaces the stored checkpoint when given (undefined: keep it). */
  readonly checkpoint?: unknown;
  readonly now: Date;
}

/**
 * The worker gives the task back: it acknowledges a pause or cancel request,
 * or (Running) hands the task back to the queue without spending an attempt.
 */
export function releaseTask(command: ReleaseTask, state: TaskState): TaskEvent[] {
  const { taskId, token, checkpoint, now } = command;
  assertLeaseHeld(state, taskId, token);
  const releasedAt = now.toISOString();
  const released = taskReleased({ taskId, token, ...(checkpoint !== undefined ? { checkpoint } : {}), releasedAt });
  switch (state.status) {
    case 'Pausing': {
      const kept = checkpoint !== undefined ? checkpoint : state.checkpoint;
      return [released, taskPaused({ taskId, reason: state.requestReason, checkpoint: kept, pausedAt: releasedAt })];
    }
    case 'Cancelling':
      return [released, taskCancelled({ taskId, reason: state.requestReason, cancelledAt: releasedAt, ...scheduleRef(state) })];
    case 'Running':
      return [released];
  }
}
