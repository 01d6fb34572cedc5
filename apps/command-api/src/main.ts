import 'reflect-metadata';
import { ReminderCommandsModule } from '@herald/reminders';
import { heraldService, runService } from '@herald/runtime';
import { TaskCommandsModule, TaskWorkersModule } from '@herald/tasks';
import { ScheduleCommandsModule } from '@herald/schedules';
import { ScheduleTargetRulesModule } from '@herald/schedule-targets';
import { NotificationCommandsModule } from '@herald/notifications';

/** POST/DELETE /api/v1/reminders, POST /api/v1/tasks[/:id/<action>] and the worker lease protocol. */
void runService(
  'command-api',
  (config) =>
    heraldService(
      'command-api',
      [ReminderCommandsModule, TaskCommandsModule, TaskWorkersModule, ScheduleTargetRulesModule, ScheduleCommandsModule, NotificationCommandsModule],
      config,
    ),
  // Due task starts and lease expiries come from the scheduler through the broker.
  (config) =>
    config.RABBITMQ_URL
      ? null
      : 'RABBITMQ_URL is required when the command-api runs as its own service; run the all-in-one app for the embedded mode',
);
