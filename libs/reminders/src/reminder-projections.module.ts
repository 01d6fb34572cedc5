import { Module } from '@nestjs/common';
import { projectionProvider } from '@herald/runtime';
import { TIME_INDEX, TimeIndex } from '@herald/scheduling';
import { ReminderViewsProjectionModule } from './queries/projection/reminder-views-projection.module';
import { REMINDER_CALLBACKS_PROJECTION, reminderCallbacksProjection } from './scheduling/reminder-callbacks.projection';

/** Every reminder projection, registered without the services around them: what `npm run replay` rebuilds. */
@Module({
  imports: [ReminderViewsProjectionModule],
  providers: [projectionProvider(REMINDER_CALLBACKS_PROJECTION, [TIME_INDEX], (index: TimeIndex) => reminderCallbacksProjection(index))],
})
export class ReminderProjectionsModule {}
