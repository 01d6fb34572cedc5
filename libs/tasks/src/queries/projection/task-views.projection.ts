import { ProjectionDefinition, viewProjection } from '@herald/runtime';
import { ViewStore } from '@herald/view-store';
import { TASK_STREAM_PREFIX, isTaskEvent } from '../../domain';
import { TaskView } from '../task-view';
import { projectTaskView } from './task-view.projection';

export const TASK_VIEWS_PROJECTION = 'query.task-views';

/** Keeps the task read model up to date from the log. */
export function taskViewsProjection(views: ViewStore<TaskView>): ProjectionDefinition {
  return viewProjection({
    name: TASK_VIEWS_PROJECTION,
    categories: [TASK_STREAM_PREFIX],
    store: views,
    isEvent: isTaskEvent,
    idOf: (e) => e.data.taskId,
    creates: (e) => e.type === 'TaskEnqueued',
    project: projectTaskView,
  });
}
