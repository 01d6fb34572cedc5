import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, EventStore } from '@herald/event-store';
import { viewById } from '@herald/runtime';
import { ViewStore } from '@herald/view-store';
import { reminderStream } from '../../domain';
import { REMINDER_VIEW_FOLD } from '../projection/reminder-views.projection';
import { REMINDER_VIEWS, ReminderView } from '../reminder-view';
import { GetReminderQuery } from './get-reminder.query';

/** From the read model, or from the log while the read model has yet to see its definition (viewById). */
@QueryHandler(GetReminderQuery)
export class GetReminderHandler implements IQueryHandler<GetReminderQuery> {
  constructor(
    @Inject(REMINDER_VIEWS) private readonly views: ViewStore<ReminderView>,
    @Inject(EVENT_STORE) private readonly events: EventStore,
  ) {}

  execute({ reminderId }: GetReminderQuery): Promise<ReminderView | null> {
    return viewById(this.views, this.events, REMINDER_VIEW_FOLD, reminderId, reminderStream(reminderId));
  }
}
