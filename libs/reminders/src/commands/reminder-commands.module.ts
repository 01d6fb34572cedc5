import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CancelReminderController } from './cancel-reminder/cancel-reminder.controller';
import { CancelReminderHandler } from './cancel-reminder/cancel-reminder.handler';
import { DefineReminderController } from './define-reminder/define-reminder.controller';
import { DefineReminderHandler } from './define-reminder/define-reminder.handler';

/** The reminder command API: validates, decides, appends. Nothing else. */
@Module({
  imports: [CqrsModule],
  controllers: [DefineReminderController, CancelReminderController],
  providers: [DefineReminderHandler, CancelReminderHandler],
})
export class ReminderCommandsModule {}
