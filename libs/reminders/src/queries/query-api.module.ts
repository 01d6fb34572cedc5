import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { GetReminderController } from './get-reminder/get-reminder.controller';
import { GetReminderHandler } from './get-reminder/get-reminder.handler';
import { ListRemindersController } from './list-reminders/list-reminders.controller';
import { ListRemindersHandler } from './list-reminders/list-reminders.handler';
import { ReminderViewProjector } from './projection/reminder-view.projector';
import { ReminderHistoryController } from './reminder-history/reminder-history.controller';
import { ReminderHistoryHandler } from './reminder-history/reminder-history.handler';

/** The query API: the projector that keeps the read model, and the GET endpoints over it. */
@Module({
  imports: [CqrsModule],
  controllers: [ListRemindersController, GetReminderController, ReminderHistoryController],
  providers: [ReminderViewProjector, GetReminderHandler, ListRemindersHandler, ReminderHistoryHandler],
})
export class QueryApiModule {}
