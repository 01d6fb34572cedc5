import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, EventStore } from '@herald/event-store';
import { viewById } from '@herald/runtime';
import { ViewStore } from '@herald/view-store';
import { taskStream } from '../../domain';
import { TASK_VIEW_FOLD } from '../projection/task-views.projection';
import { TASK_VIEWS, TaskView } from '../task-view';
import { GetTaskQuery } from './get-task.query';

/** From the read model, or from the log while the read model has yet to see its enqueueing (viewById). */
@QueryHandler(GetTaskQuery)
export class GetTaskHandler implements IQueryHandler<GetTaskQuery> {
  constructor(
    @Inject(TASK_VIEWS) private readonly views: ViewStore<TaskView>,
    @Inject(EVENT_STORE) private readonly events: EventStore,
  ) {}

  execute({ taskId }: GetTaskQuery): Promise<TaskView | null> {
    return viewById(this.views, this.events, TASK_VIEW_FOLD, taskId, taskStream(taskId));
  }
}
