import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ViewStore } from '@herald/view-store';
import { REMINDER_VIEWS, ReminderView } from '../reminder-view';
import { GetReminderQuery } from './get-reminder.query';

@QueryHandler(GetReminderQuery)
export class GetReminderHandler implements IQueryHandler<GetReminderQuery> {
  constructor(@Inject(REMINDER_VIEWS) private readonly views: ViewStore<ReminderView>) {}

  execute({ reminderId }: GetReminderQuery): Promise<ReminderView | null> {
    return this.views.get(reminderId);
  }
}
