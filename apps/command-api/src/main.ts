import 'reflect-metadata';
import { runService } from '@herald/platform';
import { CommandApiModule, heraldService } from '@herald/reminders';

/** POST/DELETE /api/v1/reminders: validates, decides, appends to the log. */
void runService('command-api', (config) => heraldService('command-api', [CommandApiModule], config));
