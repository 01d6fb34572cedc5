import { DynamicModule, Global, Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit, Provider } from '@nestjs/common';
import type { Database } from 'better-sqlite3';
import { Db, MongoClient } from 'mongodb';
import { CLOCK, Clock, systemClock } from '@herald/kernel';
import {
  CHECKPOINT_STORE,
  EVENT_STORE,
  EventStore,
  EventStoreDbEventStore,
  MongoCheckpointStore,
  MongoSnapshotStore,
  SNAPSHOT_STORE,
  SqliteCheckpointStore,
  SqliteSnapshotStore,
  SqliteEventStore,
} from '@herald/event-store';
import { HealthRegistry, HeraldConfig, openSqlite, WalCheckpointer } from '@herald/platform';
import { MongoTimeIndex, SqliteTimeIndex, TIME_INDEX } from '@herald/scheduling';
import { VIEW_STORES, cachedViewStores, mongoViewStores, sqliteViewStores } from './view-stores';
import { CommandRunner } from '../commands/command-runner';
import { IdempotentCreation } from '../idempotency/idempotent-creation';

/** The event log's SQLite file. */
export const SQLITE = Symbol('SQLITE');
/**
 * The projections' SQLite file: read model, time index and checkpoints. Its
 * own file, so that its writers (query side, scheduler) never wait for the
 * log's write lock or hold it up when services share a data dir; everything
 * in it can be rebuilt from the log.
 */
export const SQLITE_PROJECTIONS = Symbol('SQLITE_PROJECTIONS');
export const MONGO = Symbol('MONGO');

/** Opened lazily, with its WAL checkpointer: a service whose ports all live on servers never creates the SQLite files. */
class LazySqlite {
  private db: Database | null = null;
  private checkpointer: WalCheckpointer | null = null;
  constructor(
    private readonly config: HeraldConfig,
    private readonly file: string,
  ) {}
  get(): Database {
    if (this.db) return this.db;
    const c = this.config;
    this.db = openSqlite(this.file, { synchronous: c.SQLITE_SYNCHRONOUS, autoCheckpoint: false });
    const logger = new Logger('Storage');
    this.checkpointer = new WalCheckpointer(this.file, {
      intervalMs: c.SQLITE_CHECKPOINT_INTERVAL_MS,
      restartBytes: c.SQLITE_WAL_RESTART_MB * 1024 * 1024,
      onError: (message) => logger.warn(`WAL checkpoint failed, retrying: ${message}`),
    });
    return this.db;
  }
  get opened(): Database | null {
    return this.db;
  }
  async close(): Promise<void> {
    await this.checkpointer?.stop();
    this.db?.close();
  }
}

/** Closes what the providers opened, after every subscriber has stopped (onModuleDestroy runs first). */
@Injectable()
class StorageLifecycle implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Storage');

  constructor(
    @Inject(SQLITE) private readonly sqlite: LazySqlite,
    @Inject(SQLITE_PROJECTIONS) private readonly projections: LazySqlite,
    @Inject(MONGO) private readonly mongo: { client: MongoClient; db: Db } | null,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly config: HeraldConfig,
    private readonly health: HealthRegistry,
  ) {}

  onModuleInit(): void {
    const c = this.config;
    this.logger.log(
      `event store: ${c.EVENTSTORE_URL ? 'EventStoreDB' : 'SQLite'}; read side: ${c.MONGODB_URL ? 'MongoDB' : 'SQLite'}; ` +
        `delays: ${c.RABBITMQ_URL ? 'RabbitMQ' : 'in-process timers'}` +
        [this.sqlite.opened, this.projections.opened].map((db) => (db ? `; SQLite file ${db.name}` : '')).join(''),
    );
    for (const [name, sqlite] of [
      ['sqlite', this.sqlite],
      ['sqlite-projections', this.projections],
    ] as const) {
      if (sqlite.opened) this.health.register({ name, check: async () => void sqlite.get().prepare('SELECT 1').get() });
    }
    if (this.mongo) this.health.register({ name: 'mongodb', check: async () => void (await this.mongo!.db.command({ ping: 1 })) });
    if (this.config.EVENTSTORE_URL) this.health.register({ name: 'eventstoredb', check: () => this.events.ping() });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.events.close();
    await this.mongo?.client.close();
    await this.sqlite.close();
    await this.projections.close();
  }
}

/**
 * Chooses an adapter for every port from the environment: EVENTSTORE_URL,
 * MONGODB_URL and RABBITMQ_URL each move their ports to a server; whatever
 * is unset stays embedded (one SQLite file, in-process timers).
 */
@Global()
export class StorageModule {
  static forRoot(options: { clock?: Clock } = {}): DynamicModule {
    const providers: Provider[] = [
      { provide: CLOCK, useValue: options.clock ?? systemClock },
      { provide: SQLITE, inject: [HeraldConfig], useFactory: (config: HeraldConfig) => new LazySqlite(config, config.sqliteFile) },
      {
        provide: SQLITE_PROJECTIONS,
        inject: [HeraldConfig],
        useFactory: (config: HeraldConfig) => new LazySqlite(config, config.sqliteProjectionsFile),
      },
      {
        provide: MONGO,
        inject: [HeraldConfig],
        useFactory: async (config: HeraldConfig) => {
          if (!config.MONGODB_URL) return null;
          const client = await new MongoClient(config.MONGODB_URL).connect();
          return { client, db: client.db(config.MONGODB_DATABASE) };
        },
      },
      {
        provide: EVENT_STORE,
        inject: [SQLITE, CLOCK, HeraldConfig],
        useFactory: (sqlite: LazySqlite, clock: Clock, config: HeraldConfig) =>
          config.EVENTSTORE_URL
            ? EventStoreDbEventStore.fromConnectionString(config.EVENTSTORE_URL, {
                onSubscriptionDropped: (err) => new Logger('EventStoreDB').warn({ err }, 'subscription dropped; resubscribing'),
              })
            : new SqliteEventStore(sqlite.get(), clock, {
                pollIntervalMs: config.SQLITE_POLL_INTERVAL_MS,
                otherCommitsIntervalMs: config.SQLITE_OTHER_COMMITS_INTERVAL_MS,
              }),
      },
      {
        provide: CHECKPOINT_STORE,
        inject: [SQLITE_PROJECTIONS, MONGO],
        useFactory: (sqlite: LazySqlite, mongo: { db: Db } | null) =>
          mongo ? new MongoCheckpointStore(mongo.db) : new SqliteCheckpointStore(sqlite.get()),
      },
      {
        // Beside the checkpoints: a cache of aggregate folds, rebuilt from the log when missing.
        provide: SNAPSHOT_STORE,
        inject: [SQLITE_PROJECTIONS, MONGO],
        useFactory: (sqlite: LazySqlite, mongo: { db: Db } | null) =>
          mongo ? new MongoSnapshotStore(mongo.db) : new SqliteSnapshotStore(sqlite.get()),
      },
      {
        provide: VIEW_STORES,
        inject: [SQLITE_PROJECTIONS, MONGO, HeraldConfig],
        useFactory: (sqlite: LazySqlite, mongo: { db: Db } | null, config: HeraldConfig) =>
          cachedViewStores(mongo ? mongoViewStores(mongo.db) : sqliteViewStores(() => sqlite.get()), config.VIEW_CACHE_ENTRIES),
      },
      {
        provide: TIME_INDEX,
        inject: [SQLITE_PROJECTIONS, MONGO],
        useFactory: async (sqlite: LazySqlite, mongo: { db: Db } | null) => {
          if (!mongo) return new SqliteTimeIndex(sqlite.get());
          const index = new MongoTimeIndex(mongo.db);
          await index.init();
          return index;
        },
      },
      StorageLifecycle,
      CommandRunner,
      IdempotentCreation,
    ];
    return {
      module: StorageModule,
      providers,
      exports: [
        CLOCK,
        SQLITE,
        SQLITE_PROJECTIONS,
        EVENT_STORE,
        CHECKPOINT_STORE,
        SNAPSHOT_STORE,
        VIEW_STORES,
        TIME_INDEX,
        CommandRunner,
        IdempotentCreation,
      ],
    };
  }
}
