import { DynamicModule, Global, Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { Database } from 'better-sqlite3';
import { CLOCK, Clock, systemClock } from '@herald/domain';
import { CHECKPOINT_STORE, EVENT_STORE, EventStore, SqliteCheckpointStore, SqliteEventStore } from '@herald/event-store';
import { HealthRegistry, HeraldConfig, openSqlite } from '@herald/platform';
import { REMINDER_READ_STORE, SqliteReminderReadStore } from '@herald/read-store';
import { DELAYED_DELIVERY, DelayedDelivery, InProcessDelayedDelivery, SqliteTimeIndex, TIME_INDEX } from '@herald/scheduling';

export const SQLITE = Symbol('SQLITE');

/** Closes what the providers opened, after every subscriber has stopped (onModuleDestroy runs first). */
@Injectable()
class StorageLifecycle implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Storage');

  constructor(
    @Inject(SQLITE) private readonly db: Database,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(DELAYED_DELIVERY) private readonly delivery: DelayedDelivery,
    private readonly health: HealthRegistry,
  ) {}

  onModuleInit(): void {
    this.logger.log(`embedded store at ${this.db.name}`);
    this.health.register({
      name: 'sqlite',
      check: async () => void this.db.prepare('SELECT 1').get(),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.delivery.close();
    await this.events.close();
    this.db.close();
  }
}

/**
 * Chooses an adapter for every port. This issue ships the embedded ones:
 * one SQLite file for the log, the read model, checkpoints and the time
 * index, and in-process timers for delivery.
 */
@Global()
export class StorageModule {
  static forRoot(options: { clock?: Clock } = {}): DynamicModule {
    const providers = [
      { provide: CLOCK, useValue: options.clock ?? systemClock },
      {
        provide: SQLITE,
        inject: [HeraldConfig],
        useFactory: (config: HeraldConfig) => openSqlite(config.sqliteFile, { synchronous: config.SQLITE_SYNCHRONOUS }),
      },
      {
        provide: EVENT_STORE,
        inject: [SQLITE, CLOCK, HeraldConfig],
        useFactory: (db: Database, clock: Clock, config: HeraldConfig) =>
          new SqliteEventStore(db, clock, { pollIntervalMs: config.SQLITE_POLL_INTERVAL_MS }),
      },
      { provide: CHECKPOINT_STORE, inject: [SQLITE], useFactory: (db: Database) => new SqliteCheckpointStore(db) },
      { provide: REMINDER_READ_STORE, inject: [SQLITE], useFactory: (db: Database) => new SqliteReminderReadStore(db) },
      { provide: TIME_INDEX, inject: [SQLITE], useFactory: (db: Database) => new SqliteTimeIndex(db) },
      {
        provide: DELAYED_DELIVERY,
        inject: [HeraldConfig],
        useFactory: (config: HeraldConfig) => new InProcessDelayedDelivery({ concurrency: config.CALLBACK_CONCURRENCY }),
      },
      StorageLifecycle,
    ];
    return {
      module: StorageModule,
      providers,
      exports: [CLOCK, SQLITE, EVENT_STORE, CHECKPOINT_STORE, REMINDER_READ_STORE, TIME_INDEX, DELAYED_DELIVERY],
    };
  }
}
