import { conflict, invalid } from '@herald/kernel';
import { TaskEvent, taskEnqueued } from '../../events/task-events';
import { TaskState } from '../../task-state';
import { ownerProblem } from '../../values/owner';
import { runAtProblem } from '../../values/run-at';
import { tagsProblem } from '../../values/tags';
import { heartbeatTimeoutProblem, maxAttemptsProblem, priorityProblem } from '../../values/task-settings';
import { taskTypeProblem } from '../../values/task-type';

export interface EnqueueTask {
  readonly type: 'EnqueueTask';
  readonly taskId: string;
  /** The task's `type` (the command's own `type` is its discriminator). */
  readonly taskType: string;
  readonly params: unknown;
  readonly owner: string | null;
  readonly tags: string[];
  readonly priority: number;
  /** null: due at once. */
  readonly runAt: Date | null;
  readonly maxAttempts: number;
  readonly heartbeatTimeoutMs: number;
  readonly scheduleId?: string | null;
  readonly scheduledFor?: string | null;
  readonly now: Date;
}

export function enqueueTask(command: EnqueueTask, state: TaskState): TaskEvent[] {
  if (state !== null) throw conflict('TaskAlreadyExists', `task ${command.taskId} already exists`);
  const problem =
    taskTypeProblem(command.taskType) ??
    ownerProblem(command.owner) ??
    tagsProblem(command.tags) ??
    priorityProblem(command.priority) ??
    runAtProblem(command.runAt, command.now) ??
    maxAttemptsProblem(command.maxAttempts) ??
    heartbeatTimeoutProblem(command.heartbeatTimeoutMs);
  if (problem) throw invalid('InvalidTask', problem);
  return [
    taskEnqueued({
      taskId: command.taskId,
      type: command.taskType,
      params: command.params ?? null,
      owner: command.owner,
      tags: [...command.tags],
      priority: command.priority,
      runAt: (command.runAt ?? command.now).toISOString(),
      maxAttempts: command.maxAttempts,
      heartbeatTimeoutMs: command.heartbeatTimeoutMs,
      scheduleId: command.scheduleId ?? null,
      scheduledFor: command.scheduledFor ?? null,
      enqueuedAt: command.now.toISOString(),
    }),
  ];
}
