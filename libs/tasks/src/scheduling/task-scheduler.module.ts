import { Module } from '@nestjs/common';
import { HandOff, SchedulerModule, projectionProvider } from '@herald/runtime';
import { TIME_INDEX, TimeIndex } from '@herald/scheduling';
import { TaskMetricsModule } from '../task-metrics';
import { TASK_TIMERS_PROJECTION, taskTimersProjection } from './task-timers.projection';

/** The scheduler's task half: task streams → start and lease-expiry entries in the time index. */
@Module({
  // Schedules enqueue tasks in the scheduler (schedule-targets): counted here.
  imports: [SchedulerModule, TaskMetricsModule],
  providers: [
    projectionProvider(TASK_TIMERS_PROJECTION, [TIME_INDEX, HandOff], (index: TimeIndex, handOff: HandOff) =>
      taskTimersProjection(index, (entries) => handOff.nudge(entries)),
    ),
  ],
})
export class TaskSchedulerModule {}
