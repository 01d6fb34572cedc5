import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ViewPage, ViewStore } from '@herald/view-store';
import { REMINDER_VIEWS, ReminderView } from '../reminder-view';
import { ListRemindersQuery } from './list-reminders.query';

@QueryHandler(ListRemindersQuery)
export class ListRemindersHandler implements IQueryHandler<ListRemindersQuery> {
  constructor(@Inject(REMINDER_VIEWS) private readonly views: ViewStore<ReminderView>) {}

  execute({ criteria: { status, order, limit, cursor, scheduleId, owner } }: ListRemindersQuery): Promise<ViewPage<ReminderView>> {
    return this.views.list({ where: { status, scheduleId, owner }, order, limit, cursor });
  }
}
