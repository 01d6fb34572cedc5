import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { CHECKPOINT_STORE, EVENT_STORE } from '@herald/event-store';
import { ConfigError, loadConfig } from '@herald/platform';
import { REMINDER_READ_STORE } from '@herald/read-store';
import { heraldService, rebuildReminderViews, reminderTimeline } from '@herald/reminders';

/**
 * npm run replay                 rebuild the read model from position 0, print the rate
 * npm run replay -- <reminderId> print one reminder's timeline from the log
 * Uses the same configuration (DATA_DIR, EVENTSTORE_URL, MONGODB_URL…) as the services.
 */
async function main(): Promise<void> {
  const config = loadConfig({ LOG_LEVEL: 'warn', ...process.env });
  const app = await NestFactory.createApplicationContext(heraldService('replay', [], config), { logger: ['error', 'warn'] });
  try {
    const events = app.get(EVENT_STORE);
    const reminderId = process.argv[2];
    if (reminderId) {
      const lines = await reminderTimeline(events, reminderId);
      console.log(lines.length ? lines.join('\n') : `no events for reminder ${reminderId}`);
      return;
    }
    const report = await rebuildReminderViews(events, app.get(REMINDER_READ_STORE), app.get(CHECKPOINT_STORE));
    console.log(`rebuilt the reminder read model from ${report.events} events in ${report.seconds.toFixed(2)} s (${Math.round(report.eventsPerSecond)} events/s)`);
  } finally {
    await app.close();
  }
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(error instanceof ConfigError ? 2 : 1);
});
