import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { reminderStream } from '../../domain';
import { EVENT_STORE, EventStore, RecordedEvent } from '@herald/event-store';
import { ReminderHistoryQuery } from './reminder-history.query';

/** Reads the write side on purpose: the audit trail is the log itself, not a projection of it. */
@QueryHandler(ReminderHistoryQuery)
export class ReminderHistoryHandler implements IQueryHandler<ReminderHistoryQuery> {
  constructor(@Inject(EVENT_STORE) private readonly events: EventStore) {}

  execute({ reminderId }: ReminderHistoryQuery): Promise<RecordedEvent[]> {
    return this.events.readStream(reminderStream(reminderId));
  }
}
