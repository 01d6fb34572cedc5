import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { REMINDER_READ_STORE, ReminderReadStore, ReminderView } from '@herald/read-store';
import { GetReminderQuery } from './get-reminder.query';

@QueryHandler(GetReminderQuery)
export class GetReminderHandler implements IQueryHandler<GetReminderQuery> {
  constructor(@Inject(REMINDER_READ_STORE) private readonly views: ReminderReadStore) {}

  execute({ reminderId }: GetReminderQuery): Promise<ReminderView | null> {
    return this.views.get(reminderId);
  }
}
