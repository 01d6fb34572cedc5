import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ViewStore } from '@herald/view-store';
import { TASK_VIEWS, TaskView } from '../task-view';
import { GetTaskQuery } from './get-task.query';

@QueryHandler(GetTaskQuery)
export class GetTaskHandler implements IQueryHandler<GetTaskQuery> {
  constructor(@Inject(TASK_VIEWS) private readonly views: ViewStore<TaskView>) {}

  execute({ taskId }: GetTaskQuery): Promise<TaskView | null> {
    return this.views.get(taskId);
  }
}
