import 'reflect-metadata';
import { ConsoleLogger, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CHECKPOINT_STORE, EVENT_STORE } from '@herald/event-store';
import { ConfigError, loadConfig } from '@herald/platform';
import { ReminderProjectionsModule, reminderTimeline } from '@herald/reminders';
import { ProjectionHost, heraldService, rebuildProjection } from '@herald/runtime';
import { TaskProjectionsModule } from '@herald/tasks';
import { ScheduleReplayModule } from '@herald/schedules';
import { NotificationProjectionsModule } from '@herald/notifications';

const USAGE = `usage:
  npm run replay                                   rebuild every projection from position 0
  npm run replay -- --projection <name> [...]      rebuild the named projections only
  npm run replay -- --list                         list the projections
  npm run replay -- <reminderId>                   print one reminder's timeline from the log`;

/** Nest's console logger on stderr: stdout carries only the CLI's answer (`--list` pipes into other commands). */
class StderrLogger extends ConsoleLogger {
  protected override printMessages(
    messages: unknown[],
    context?: string,
    logLevel?: LogLevel,
    _stream?: 'stdout' | 'stderr',
    errorStack?: unknown,
  ): void {
    super.printMessages(messages, context, logLevel, 'stderr', errorStack);
  }
}

/**
 * Rebuilds projections from the log, or prints a timeline. Uses the same
 * configuration (DATA_DIR, EVENTSTORE_URL, MONGODB_URL…) as the services;
 * run it with the services that own a projection stopped.
 */
async function main(args: string[]): Promise<void> {
  const config = loadConfig({ LOG_LEVEL: 'warn', ...process.env });
  const service = heraldService(
    'replay',
    [ReminderProjectionsModule, TaskProjectionsModule, ScheduleReplayModule, NotificationProjectionsModule],
    config,
    {
      runProjections: false,
    },
  );
  const app = await NestFactory.createApplicationContext(service, { logger: new StderrLogger({ logLevels: ['error', 'warn'] }) });
  try {
    const host = app.get(ProjectionHost);
    if (args[0] === '--list')
      return void console.log(
        host
          .all()
          .map((p) => p.name)
          .join('\n'),
      );
    if (args[0] && !args[0].startsWith('--')) {
      const lines = await reminderTimeline(app.get(EVENT_STORE), args[0]);
      return void console.log(lines.length ? lines.join('\n') : `no events for reminder ${args[0]}`);
    }
    for (const definition of selected(host, args)) {
      const r = await rebuildProjection(app.get(EVENT_STORE), app.get(CHECKPOINT_STORE), definition);
      console.log(`rebuilt ${r.projection} from ${r.events} events in ${r.seconds.toFixed(2)} s (${Math.round(r.eventsPerSecond)} events/s)`);
    }
  } finally {
    await app.close();
  }
}

function selected(host: ProjectionHost, args: string[]) {
  const names = args.filter((a, i) => args[i - 1] === '--projection');
  if (args.some((a) => a.startsWith('--') && a !== '--projection') || names.length !== args.filter((a) => a === '--projection').length) {
    throw new ConfigError(USAGE);
  }
  if (names.length === 0) return host.all();
  const unknown = names.filter((n) => !host.all().some((p) => p.name === n));
  if (unknown.length > 0)
    throw new ConfigError(
      `unknown projection ${unknown.join(', ')}; known: ${host
        .all()
        .map((p) => p.name)
        .join(', ')}`,
    );
  return host.all().filter((p) => names.includes(p.name));
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(error instanceof ConfigError ? 2 : 1);
});
