import { SetMetadata } from '@nestjs/common';
import { TASK_HANDLER_METADATA } from './constants';

/**
 * Marks a provider method as the handler for a task type. The method gets the
 * `TaskContext`; what it returns completes the task, what it throws fails it.
 */
export const TaskHandler = (type: string): MethodDecorator => SetMetadata(TASK_HANDLER_METADATA, type);
