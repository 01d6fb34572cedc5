import 'reflect-metadata';
import { CallbackWorkerModule, ReminderCommandsModule, ReminderQueriesModule, ReminderSchedulerModule } from '@herald/reminders';
import { DashboardModule, FeedModule, heraldService, runService } from '@herald/runtime';
import { TaskCommandsModule, TaskQueriesModule, TaskSchedulerModule, TaskWorkersModule } from '@herald/tasks';
import { ScheduleCommandsModule, ScheduleOccurrencesModule, ScheduleQueriesModule, ScheduleSchedulerModule } from '@herald/schedules';
import { ScheduleTargetRulesModule, ScheduleTargetsModule } from '@herald/schedule-targets';
import { NotificationCommandsModule, NotificationQueriesModule } from '@herald/notifications';

/** Every capability module of the separate services, in one process: the embedded default. */
export const ALL_IN_ONE = [
  ReminderCommandsModule,
  ReminderQueriesModule,
  ReminderSchedulerModule,
  CallbackWorkerModule,
  TaskCommandsModule,
  TaskQueriesModule,
  TaskSchedulerModule,
  TaskWorkersModule,
  ScheduleTargetRulesModule,
  ScheduleCommandsModule,
  ScheduleQueriesModule,
  ScheduleSchedulerModule,
  ScheduleOccurrencesModule,
  ScheduleTargetsModule,
  NotificationCommandsModule,
  NotificationQueriesModule,
  FeedModule,
  DashboardModule,
];

/**
 * The embedded default: all services in one process over the SQLite files,
 * wired through the same subscriptions and handlers as when they run apart.
 */
if (require.main === module) void runService('all-in-one', (config) => heraldService('all-in-one', ALL_IN_ONE, config));
