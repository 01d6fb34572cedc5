import { TaskEvent, TaskState, evolveTask } from '../../domain';
import { TaskView } from '../task-view';

const FINISHED = new Set(['Completed', 'Failed', 'Cancelled']);

/**
 * The read model as a pure fold: the view after `event` (at `revision` of
 * its stream). The aggregate's state comes from the domain's own evolve; the
 * view adds the timeline fields. The store's revision guard makes re-applying harmless.
 */
export function projectTaskView(view: TaskView | null, event: TaskEvent, revision: number, recordedAt: Date): TaskView | null {
  const state = evolveTask(view?.state ?? (null as TaskState), event);
  if (state === null) return null;
  const at = recordedAt.toISOString();
  const createdAt = view?.createdAt ?? (event.type === 'TaskEnqueued' ? event.data.enqueuedAt : at);
  return {
    id: state.taskId,
    revision,
    status: state.status,
    type: state.type,
    owner: state.owner,
    tags: [...state.tags],
    priority: state.priority,
    runAt: state.runAt,
    scheduleId: state.scheduleId,
    createdAt,
    updatedAt: at,
    startedAt: view?.startedAt ?? (event.type === 'TaskLeased' ? event.data.leasedAt : null),
    workerId: event.type === 'TaskLeased' ? event.data.workerId : (view?.workerId ?? null),
    finishedAt: FINISHED.has(state.status) ? (view?.finishedAt ?? at) : null,
    state,
  };
}
