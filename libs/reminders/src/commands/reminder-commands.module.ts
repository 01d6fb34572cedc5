import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { HeraldConfig } from '@herald/platform';
import { CallbackAddressPolicy } from '../callbacks/callback-address-policy';
import { CancelReminderController } from './cancel-reminder/cancel-reminder.controller';
import { CancelReminderHandler } from './cancel-reminder/cancel-reminder.handler';
import { DefineReminderController } from './define-reminder/define-reminder.controller';
import { DefineReminderHandler } from './define-reminder/define-reminder.handler';
import { RescheduleReminderController } from './reschedule-reminder/reschedule-reminder.controller';
import { RescheduleReminderHandler } from './reschedule-reminder/reschedule-reminder.handler';
import { RetriggerReminderController } from './retrigger-reminder/retrigger-reminder.controller';
import { RetriggerReminderHandler } from './retrigger-reminder/retrigger-reminder.handler';
import { REMINDERS_API_DOCS } from '../api-docs';

/** The reminder command API: validates, decides, appends. Nothing else. */
@Module({
  imports: [CqrsModule],
  controllers: [DefineReminderController, CancelReminderController, RescheduleReminderController, RetriggerReminderController],
  providers: [
    DefineReminderHandler,
    CancelReminderHandler,
    RescheduleReminderHandler,
    RetriggerReminderHandler,
    REMINDERS_API_DOCS,
    { provide: CallbackAddressPolicy, inject: [HeraldConfig], useFactory: (config: HeraldConfig) => CallbackAddressPolicy.fromConfig(config) },
  ],
})
export class ReminderCommandsModule {}
