import { Query } from '@nestjs/cqrs';
import { TaskView } from '../task-view';

export class GetTaskQuery extends Query<TaskView | null> {
  constructor(readonly taskId: string) {
    super();
  }
}
