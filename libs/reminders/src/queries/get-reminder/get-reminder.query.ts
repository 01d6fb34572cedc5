import { Query } from '@nestjs/cqrs';
import { ReminderView } from '@herald/read-store';

export class GetReminderQuery extends Query<ReminderView | null> {
  constructor(readonly reminderId: string) {
    super();
  }
}
