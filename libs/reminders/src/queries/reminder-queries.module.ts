import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { GetReminderController } from './get-reminder/get-reminder.controller';
import { GetReminderHandler } from './get-reminder/get-reminder.handler';
import { ListRemindersController } from './list-reminders/list-reminders.controller';
import { ListRemindersHandler } from './list-reminders/list-reminders.handler';
import { ReminderViewsProjectionModule } from './projection/reminder-views-projection.module';
import { ReminderViewsModule } from './reminder-views.module';
import { ReminderHistoryController } from './reminder-history/reminder-history.controller';
import { StreamHistoryModule, feedSourceProvider } from '@herald/runtime';
import { REMINDER_FEED_SOURCE } from './reminder-feed';
import { REMINDERS_API_DOCS } from '../api-docs';

/** The reminder query API: the projection that keeps the read model, and the GET endpoints over it. */
@Module({
  imports: [CqrsModule, StreamHistoryModule, ReminderViewsModule, ReminderViewsProjectionModule],
  controllers: [ListRemindersController, GetReminderController, ReminderHistoryController],
  providers: [GetReminderHandler, ListRemindersHandler, REMINDERS_API_DOCS, feedSourceProvider('reminder', [], () => REMINDER_FEED_SOURCE)],
})
export class ReminderQueriesModule {}
