import { Module } from '@nestjs/common';
import { projectionProvider } from '@herald/runtime';
import { ViewStore } from '@herald/view-store';
import { REMINDER_VIEWS, ReminderView } from '../reminder-view';
import { ReminderViewsModule } from '../reminder-views.module';
import { REMINDER_VIEWS_PROJECTION, reminderViewsProjection } from './reminder-views.projection';

/** Registers the reminder read model's projection with the host (imported by the query API and by replay). */
@Module({
  imports: [ReminderViewsModule],
  providers: [projectionProvider(REMINDER_VIEWS_PROJECTION, [REMINDER_VIEWS], (views: ViewStore<ReminderView>) => reminderViewsProjection(views))],
})
export class ReminderViewsProjectionModule {}
