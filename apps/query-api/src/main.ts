import 'reflect-metadata';
import { runService } from '@herald/platform';
import { QueryApiModule, heraldService } from '@herald/reminders';

/** GET /api/v1/reminders…: projects the log into the read model and serves it. */
void runService('query-api', (config) => heraldService('query-api', [QueryApiModule], config));
