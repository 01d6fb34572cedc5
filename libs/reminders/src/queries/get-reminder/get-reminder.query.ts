import { Query } from '@nestjs/cqrs';
import { ReminderView } from '../reminder-view';

export class GetReminderQuery extends Query<ReminderView | null> {
  constructor(readonly reminderId: string) {
    super();
  }
}
