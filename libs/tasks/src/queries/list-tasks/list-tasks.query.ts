import { Query } from '@nestjs/cqrs';
import { ViewPage } from '@herald/view-store';
import { TaskView } from '../task-view';
import { ListTasksDto } from './list-tasks.dto';

export class ListTasksQuery extends Query<ViewPage<TaskView>> {
  constructor(readonly criteria: ListTasksDto) {
    super();
  }
}
