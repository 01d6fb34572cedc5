import { ProjectionDefinition, ViewFold, viewProjection } from '@herald/runtime';
import { ViewStore } from '@herald/view-store';
import { TASK_STREAM_PREFIX, TaskEvent, isTaskEvent } from '../../domain';
import { TaskView } from '../task-view';
import { projectTaskView } from './task-view.projection';

export const TASK_VIEWS_PROJECTION = 'query.task-views';

/** One task's view from its events: the read model's fold, also what commands and reads fold from a stream. */
export const TASK_VIEW_FOLD: ViewFold<TaskView, TaskEvent> = { isEvent: isTaskEvent, project: projectTaskView };

/** Keeps the task read model up to date from the log. */
export function taskViewsProjection(views: ViewStore<TaskView>): ProjectionDefinition {
  return viewProjection({
    ...TASK_VIEW_FOLD,
    name: TASK_VIEWS_PROJECTION,
    categories: [TASK_STREAM_PREFIX],
    store: views,
    idOf: (e) => e.data.taskId,
    creates: (e) => e.type === 'TaskEnqueued',
  });
}
