import 'reflect-metadata';
import { ReminderCommandsModule } from '@herald/reminders';
import { heraldService, runService } from '@herald/runtime';

/** POST/DELETE /api/v1/reminders: validates, decides, appends to the log. */
void runService('command-api', (config) => heraldService('command-api', [ReminderCommandsModule], config));
