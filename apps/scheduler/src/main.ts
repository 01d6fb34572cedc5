import 'reflect-metadata';
import { ReminderSchedulerModule } from '@herald/reminders';
import { heraldService, runService } from '@herald/runtime';
import { TaskSchedulerModule } from '@herald/tasks';

/** Reads the log, keeps the durable time index, hands due callbacks, task starts and lease expiries to the broker. */
void runService(
  'scheduler',
  (config) => heraldService('scheduler', [ReminderSchedulerModule, TaskSchedulerModule], config),
  // In-process timers cannot cross a process boundary: apart, the scheduler and
  // the worker meet only through the broker.
  (config) =>
    config.RABBITMQ_URL ? null : 'RABBITMQ_URL is required when the scheduler runs as its own service; run the all-in-one app for the embedded mode',
);
