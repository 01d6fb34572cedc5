import 'reflect-metadata';
import { ReminderQueriesModule } from '@herald/reminders';
import { heraldService, runService } from '@herald/runtime';

/** GET /api/v1/reminders…: projects the log into the read model and serves it. */
void runService('query-api', (config) => heraldService('query-api', [ReminderQueriesModule], config));
