import 'reflect-metadata';
import { ReminderSchedulerModule } from '@herald/reminders';
import { heraldService, runService } from '@herald/runtime';
import { TaskSchedulerModule } from '@herald/tasks';
import { ScheduleOccurrencesModule, ScheduleSchedulerModule } from '@herald/schedules';
import { ScheduleTargetRulesModule, ScheduleTargetsModule } from '@herald/schedule-targets';

/**
 * Reads the log, keeps the durable time index, hands due callbacks, task starts,
 * lease expiries and schedule occurrences to the broker; decides each schedule's
 * due occurrences and carries them out as reminders and tasks.
 */
void runService(
  'scheduler',
  (config) =>
    heraldService(
      'scheduler',
      [
        ReminderSchedulerModule,
        TaskSchedulerModule,
        ScheduleTargetRulesModule,
        ScheduleSchedulerModule,
        ScheduleOccurrencesModule,
        ScheduleTargetsModule,
      ],
      config,
    ),
  // In-process timers cannot cross a process boundary: apart, the scheduler and
  // the worker meet only through the broker.
  (config) =>
    config.RABBITMQ_URL ? null : 'RABBITMQ_URL is required when the scheduler runs as its own service; run the all-in-one app for the embedded mode',
);
