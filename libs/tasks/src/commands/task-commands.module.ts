import { Module } from '@nestjs/common';
import { EnqueueTaskController } from './enqueue-task/enqueue-task.controller';
import { TaskActionsController } from './task-actions/task-actions.controller';
import { TaskCommands } from './task-commands';

/** The task command API: enqueue, pause, resume, cancel, retrigger. */
@Module({ controllers: [EnqueueTaskController, TaskActionsController], providers: [TaskCommands], exports: [TaskCommands] })
export class TaskCommandsModule {}
