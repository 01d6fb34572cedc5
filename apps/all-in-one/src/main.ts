import 'reflect-metadata';
import { CallbackWorkerModule, ReminderCommandsModule, ReminderQueriesModule, ReminderSchedulerModule } from '@herald/reminders';
import { heraldService, runService } from '@herald/runtime';

/**
 * The embedded default: all four services in one process over one SQLite
 * file, wired through the same subscriptions and handlers as when they run apart.
 */
void runService('all-in-one', (config) =>
  heraldService('all-in-one', [ReminderCommandsModule, ReminderQueriesModule, ReminderSchedulerModule, CallbackWorkerModule], config),
);
