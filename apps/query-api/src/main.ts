import 'reflect-metadata';
import { ReminderQueriesModule } from '@herald/reminders';
import { CommandForwardingModule, DashboardModule, FeedModule, heraldService, runService } from '@herald/runtime';
import { TaskQueriesModule } from '@herald/tasks';
import { ScheduleQueriesModule } from '@herald/schedules';
import { NotificationQueriesModule } from '@herald/notifications';

/**
 * GET /api/v1/reminders… and /api/v1/tasks…: projects the log into the read model and serves it,
 * with the live feed and the dashboard; with COMMAND_API_URL it forwards the writes it is sent there.
 */
void runService('query-api', (config) =>
  heraldService(
    'query-api',
    [
      ReminderQueriesModule,
      TaskQueriesModule,
      ScheduleQueriesModule,
      NotificationQueriesModule,
      FeedModule,
      DashboardModule,
      CommandForwardingModule,
    ],
    config,
  ),
);
