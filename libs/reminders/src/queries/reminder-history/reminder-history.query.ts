import { Query } from '@nestjs/cqrs';
import { RecordedEvent } from '@herald/event-store';

export class ReminderHistoryQuery extends Query<RecordedEvent[]> {
  constructor(readonly reminderId: string) {
    super();
  }
}
