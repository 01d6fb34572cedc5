import { conflict, invalid } from '@herald/kernel';
import { TaskEvent, taskLeased } from '../../events/task-events';
import { TaskState } from '../../task-state';
import { workerIdProblem } from '../../values/worker-id';
import { assertTaskExists } from '../task-guards';

export interface LeaseTask {
  readonly type: 'LeaseTask';
  readonly taskId: string;
  /** Drawn by the caller (a UUID): the worker presents it with every later call. */
  readonly token: string;
  readonly workerId: string;
  /** The worker's API key is limited to this owner: another owner's task is not its to run. */
  readonly forOwner?: string | null;
  readonly now: Date;
}

/** The refusal a worker limited to one owner meets on another owner's task, which stays queued for others. */
export const TASK_OF_ANOTHER_OWNER = 'TaskOfAnotherOwner';

export function leaseTask(command: LeaseTask, state: TaskState): TaskEvent[] {
  const { taskId, token, workerId, now } = command;
  assertTaskExists(state, taskId);
  const problem = workerIdProblem(workerId);
  if (problem) throw invalid('InvalidTaskCommand', problem);
  if (state.status !== 'Queued') throw conflict('TaskNotLeasable', `task ${taskId} is ${state.status} and cannot be leased`);
  if (Date.parse(state.runAt) > now.getTime()) throw conflict('TaskNotLeasable', `task ${taskId} cannot be leased yet: not before ${state.runAt}`);
  // After the checks above: a task nobody may lease is dropped from the queue, not put back for its owner.
  if (command.forOwner != null && state.owner !== command.forOwner) {
    throw conflict(TASK_OF_ANOTHER_OWNER, `task ${taskId} belongs to another owner than this worker's key`);
  }
  return [
    taskLeased({
      taskId,
      token,
      workerId,
      attempt: state.attemptsUsed + 1,
      leasedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + state.heartbeatTimeoutMs).toISOString(),
    }),
  ];
}
