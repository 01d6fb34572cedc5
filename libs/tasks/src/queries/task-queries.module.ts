import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { StreamHistoryModule, feedSourceProvider } from '@herald/runtime';
import { TASK_FEED_SOURCE } from './task-feed';
import { GetTaskController } from './get-task/get-task.controller';
import { GetTaskHandler } from './get-task/get-task.handler';
import { ListTasksController } from './list-tasks/list-tasks.controller';
import { ListTasksHandler } from './list-tasks/list-tasks.handler';
import { TaskViewsProjectionModule } from './projection/task-views-projection.module';
import { TaskHistoryController } from './task-history/task-history.controller';
import { TaskViewsModule } from './task-views.module';
import { TASKS_API_DOCS } from '../api-docs';

/** The task query API: the projection that keeps the read model, and the GET endpoints over it. */
@Module({
  imports: [CqrsModule, StreamHistoryModule, TaskViewsModule, TaskViewsProjectionModule],
  controllers: [ListTasksController, GetTaskController, TaskHistoryController],
  providers: [GetTaskHandler, ListTasksHandler, TASKS_API_DOCS, feedSourceProvider('task', [], () => TASK_FEED_SOURCE)],
})
export class TaskQueriesModule {}
