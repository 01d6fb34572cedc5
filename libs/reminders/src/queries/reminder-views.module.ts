import { Module } from '@nestjs/common';
import { VIEW_STORES, ViewStores } from '@herald/runtime';
import { REMINDER_VIEWS, REMINDER_VIEW_DEFINITION } from './reminder-view';

/** The reminder views' store, opened on whichever adapter the service's storage chose. */
@Module({
  providers: [{ provide: REMINDER_VIEWS, inject: [VIEW_STORES], useFactory: (stores: ViewStores) => stores.open(REMINDER_VIEW_DEFINITION) }],
  exports: [REMINDER_VIEWS],
})
export class ReminderViewsModule {}
