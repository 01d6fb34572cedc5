import { Decider } from '@herald/kernel';
import { CancelTask, cancelTask } from './commands/cancel-task/cancel-task';
import { CompleteTask, completeTask } from './commands/complete-task/complete-task';
import { EnqueueTask, enqueueTask } from './commands/enqueue-task/enqueue-task';
import { ExpireLease, expireLease } from './commands/expire-lease/expire-lease';
import { FailTask, failTask } from './commands/fail-task/fail-task';
import { LeaseTask, leaseTask } from './commands/lease-task/lease-task';
import { PauseTask, pauseTask } from './commands/pause-task/pause-task';
import { RecordHeartbeat, recordHeartbeat } from './commands/record-heartbeat/record-heartbeat';
import { ReleaseTask, releaseTask } from './commands/release-task/release-task';
import { ResumeTask, resumeTask } from './commands/resume-task/resume-task';
import { RetriggerTask, retriggerTask } from './commands/retrigger-task/retrigger-task';
import { TaskEvent } from './events/task-events';
import { TaskState, evolveTask, initialTaskState } from './task-state';

export type TaskCommand =
  | EnqueueTask
  | LeaseTask
  | RecordHeartbeat
  | CompleteTask
  | FailTask
  | ReleaseTask
  | ExpireLease
  | PauseTask
  | ResumeTask
  | CancelTask
  | RetriggerTask;

export function decideTask(command: TaskCommand, state: TaskState): TaskEvent[] {
  switch (command.type) {
    case 'EnqueueTask':
      return enqueueTask(command, state);
    case 'LeaseTask':
      return leaseTask(command, state);
    case 'RecordHeartbeat':
      return recordHeartbeat(command, state);
    case 'CompleteTask':
      return completeTask(command, state);
    case 'FailTask':
      return failTask(command, state);
    case 'ReleaseTask':
      return releaseTask(command, state);
    case 'ExpireLease':
      return expireLease(command, state);
    case 'PauseTask':
      return pauseTask(command, state);
    case 'ResumeTask':
      return resumeTask(command, state);
    case 'CancelTask':
      return cancelTask(command, state);
    case 'RetriggerTask':
      return retriggerTask(command, state);
  }
}

export const taskDecider: Decider<TaskState, TaskCommand, TaskEvent> = {
  initialState: initialTaskState,
  evolve: evolveTask,
  decide: decideTask,
};
