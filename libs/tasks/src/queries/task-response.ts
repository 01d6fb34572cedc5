import { TaskView } from './task-view';

/** The API's shape of a task (GET /api/v1/tasks/:id and every action's answer). The lease token is never shown. */
export function toTaskResponse(view: TaskView) {
  const s = view.state;
  return {
    id: view.id,
    type: view.type,
    params: s.params,
    owner: view.owner,
    tags: view.tags,
    priority: view.priority,
    status: view.status,
    attempt: s.attempt,
    maxAttempts: s.maxAttempts,
    progress: s.progress,
    checkpoint: s.checkpoint,
    result: s.result,
    error: s.error,
    workerId: view.workerId,
    runAt: view.runAt,
    createdAt: view.createdAt,
    updatedAt: view.updatedAt,
    startedAt: view.startedAt,
    finishedAt: view.finishedAt,
    scheduleId: view.scheduleId,
    scheduledFor: s.scheduledFor,
  };
}

export type TaskResponse = ReturnType<typeof toTaskResponse>;
