import { Query } from '@nestjs/cqrs';
import { ReminderListQuery, ReminderPage } from '@herald/read-store';

export class ListRemindersQuery extends Query<ReminderPage> {
  constructor(readonly criteria: ReminderListQuery) {
    super();
  }
}
