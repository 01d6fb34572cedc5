import 'reflect-metadata';
import { runService } from '@herald/platform';
import { CallbackWorkerModule, CommandApiModule, QueryApiModule, SchedulerModule, heraldService } from '@herald/reminders';

/**
 * The embedded default: all four services in one process over one SQLite
 * file, wired through the same subscriptions and handlers as when they run apart.
 */
void runService('all-in-one', (config) =>
  heraldService('all-in-one', [CommandApiModule, QueryApiModule, SchedulerModule, CallbackWorkerModule], config),
);
