import { Module } from '@nestjs/common';
import { EnqueueTaskController } from './enqueue-task/enqueue-task.controller';
import { TaskActionsController } from './task-actions/task-actions.controller';
import { TaskCommands } from './task-commands';
import { TaskMetricsModule } from '../task-metrics';
import { TASKS_API_DOCS } from '../api-docs';

/** The task command API: enqueue, pause, resume, cancel, retrigger. */
@Module({
  imports: [TaskMetricsModule],
  controllers: [EnqueueTaskController, TaskActionsController],
  providers: [TaskCommands, TASKS_API_DOCS],
  exports: [TaskCommands],
})
export class TaskCommandsModule {}
