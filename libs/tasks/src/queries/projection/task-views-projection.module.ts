import { Module } from '@nestjs/common';
import { projectionProvider } from '@herald/runtime';
import { ViewStore } from '@herald/view-store';
import { TASK_VIEWS, TaskView } from '../task-view';
import { TaskViewsModule } from '../task-views.module';
import { TASK_VIEWS_PROJECTION, taskViewsProjection } from './task-views.projection';

/** Registers the task read model's projection with the host (imported by the query API and by replay). */
@Module({
  imports: [TaskViewsModule],
  providers: [projectionProvider(TASK_VIEWS_PROJECTION, [TASK_VIEWS], (views: ViewStore<TaskView>) => taskViewsProjection(views))],
})
export class TaskViewsProjectionModule {}
