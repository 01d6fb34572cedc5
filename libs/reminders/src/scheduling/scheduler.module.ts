import { Module } from '@nestjs/common';
import { HandOff, SchedulerModule, projectionProvider } from '@herald/runtime';
import { TIME_INDEX, TimeIndex } from '@herald/scheduling';
import { REMINDER_CALLBACKS_PROJECTION, reminderCallbacksProjection } from './reminder-callbacks.projection';

/** The scheduler's reminder half: reminder streams → callback entries in the time index (the generic hand-off does the rest). */
@Module({
  imports: [SchedulerModule],
  providers: [
    projectionProvider(REMINDER_CALLBACKS_PROJECTION, [TIME_INDEX, HandOff], (index: TimeIndex, handOff: HandOff) =>
      reminderCallbacksProjection(index, (entries) => handOff.nudge(entries)),
    ),
  ],
})
export class ReminderSchedulerModule {}
