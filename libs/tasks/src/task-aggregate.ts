import { AggregateType } from '@herald/runtime';
import { TaskCommand, TaskEvent, TaskState, isTaskEvent, taskDecider, taskNotFound, taskStream } from './domain';

/** What the one command path needs to run task commands. */
export const TASK: AggregateType<TaskState, TaskCommand, TaskEvent> = {
  decider: taskDecider,
  streamOf: taskStream,
  isEvent: isTaskEvent,
  ownership: { ownerOf: (state) => state.owner, notFound: taskNotFound },
};
