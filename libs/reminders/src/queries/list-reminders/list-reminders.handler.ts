import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { REMINDER_READ_STORE, ReminderPage, ReminderReadStore } from '@herald/read-store';
import { ListRemindersQuery } from './list-reminders.query';

@QueryHandler(ListRemindersQuery)
export class ListRemindersHandler implements IQueryHandler<ListRemindersQuery> {
  constructor(@Inject(REMINDER_READ_STORE) private readonly views: ReminderReadStore) {}

  execute({ criteria }: ListRemindersQuery): Promise<ReminderPage> {
    return this.views.list(criteria);
  }
}
