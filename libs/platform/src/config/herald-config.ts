import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min, validateSync } from 'class-validator';
import { join, resolve } from 'node:path';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const toBool = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : value === 'true' || value === '1');

/**
 * Every knob Herald reads from the environment, with its default. The
 * README's configuration table mirrors this class; start-up fails with a
 * message naming the variable when one is malformed.
 */
export class HeraldConfig {
  /** HTTP port of this service. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  /** Where the embedded SQLite file lives. */
  @IsString()
  DATA_DIR = './data';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** One log line per HTTP request. */
  @Transform(toBool)
  @IsIn([true, false])
  LOG_REQUESTS = true;

  /** SQLite durability: NORMAL survives kill -9; FULL also survives power loss, slower. */
  @IsIn(['NORMAL', 'FULL'])
  SQLITE_SYNCHRONOUS: 'NORMAL' | 'FULL' = 'NORMAL';

  /**
   * How often a worker thread checkpoints the SQLite WAL (copies it back into
   * the database file), so that commits on the event loop never do.
   */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(60_000)
  SQLITE_CHECKPOINT_INTERVAL_MS = 200;

  /** Under steady commits a passive checkpoint never lets the WAL start over; past this size a RESTART checkpoint does. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65_536)
  SQLITE_WAL_RESTART_MB = 64;

  /** How often subscribers look for events appended by other processes sharing the SQLite file. */
  @Transform(toInt)
  @IsInt()
  @Min(5)
  @Max(60_000)
  SQLITE_POLL_INTERVAL_MS = 100;

  /** Largest request body accepted (413 beyond). */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(64 * 1024 * 1024)
  BODY_LIMIT_BYTES = 1024 * 1024;

  /** Largest reminder payload, as serialised JSON (400 beyond). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(16 * 1024 * 1024)
  PAYLOAD_MAX_BYTES = 64 * 1024;

  /** Attempts when a reminder does not say. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(50)
  DEFAULT_MAX_ATTEMPTS = 10;

  /** Callback timeout when a reminder does not say. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(300_000)
  DEFAULT_TIMEOUT_MS = 10_000;

  /** Backoff before the 2nd attempt; doubles per attempt (with jitter) up to the max. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86_400_000)
  RETRY_BASE_DELAY_MS = 1_000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86_400_000)
  RETRY_MAX_DELAY_MS = 3_600_000;

  /** Callbacks in flight at once per worker process. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  CALLBACK_CONCURRENCY = 256;

  /** Handlers at once per process for each internal topic other than callbacks (task starts, lease expiries). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  TASK_DISPATCH_CONCURRENCY = 64;

  /**
   * A schedule occurrence fired later than this after its time counts as
   * missed while Herald was down, and its schedule's catch-up policy decides
   * whether it fires; within it, it simply fires late.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  SCHEDULE_CATCHUP_GRACE_MS = 2_000;

  /**
   * A schedule's occurrence is decided this long before its time, and its
   * reminder or task is created due at the occurrence itself, so it is
   * delivered on time by the reminder and task timers rather than after the
   * decision's own appends. A pause or PATCH within this window applies from
   * the occurrence after. The default sits between whole seconds: most
   * occurrences fall on them, so deciding the next second's half way through
   * this one keeps the decisions out of the callbacks' way (10,000 schedules
   * a minute: p99 347 → 73 ms against a lead of 1,000 ms, docs/BENCHMARKS.md).
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60_000)
  SCHEDULE_LEAD_MS = 1_500;

  /** Keep-alive connections per receiver origin. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  CALLBACK_CONNECTIONS_PER_ORIGIN = 128;

  /** The scheduler hands the transport only what falls due within this window. */
  @Transform(toInt)
  @IsInt()
  @Min(1_000)
  @Max(86_400_000)
  SCHEDULER_HORIZON_MS = 60_000;

  /**
   * A scheduler replica that claimed entries but died before handing them
   * over releases them after this. With RabbitMQ the scheduler holds claimed
   * entries until shortly before they fall due, so it claims only half this
   * far ahead; a scheduler restart delays what it held by at most this.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1_000)
  @Max(3_600_000)
  SCHEDULER_CLAIM_TTL_MS = 10_000;

  /**
   * A handed-off callback still without an outcome this long after its due
   * time is handed over again (its message was lost in the broker). Keep it
   * above the longest callback timeout plus the worker backlog.
   */
  @Transform(toInt)
  @IsInt()
  @Min(5_000)
  @Max(86_400_000)
  SCHEDULER_STALE_HANDOFF_MS = 600_000;

  /**
   * Tries of a batch of events a projection keeps failing on a healthy store
   * before its events are tried one by one and those still failing are parked
   * (logged, listed in /health, skipped). A store that is down parks nothing.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  PROJECTION_MAX_TRIES = 5;

  /** Wait before a projection's second try of a failing batch; doubles per try. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(60_000)
  PROJECTION_RETRY_BASE_MS = 100;

  /** Full stack: the log on EventStoreDB (esdb://host:2113?tls=false). Unset: the SQLite file. */
  @IsOptional()
  @IsString()
  EVENTSTORE_URL?: string;

  /** Full stack: delays and work through RabbitMQ (amqp://user:pass@host:5672). Unset: in-process timers. */
  @IsOptional()
  @IsString()
  RABBITMQ_URL?: string;

  /** auto: the delayed-message-exchange plugin when the broker has it, else plugin-free TTL levels. */
  @IsIn(['auto', 'plugin', 'ttl-levels'])
  RABBITMQ_DELAY_MODE: 'auto' | 'plugin' | 'ttl-levels' = 'auto';

  /**
   * Unacknowledged AMQP messages per worker: those whose callbacks are running
   * or held for their last stretch. Each message carries up to
   * RABBITMQ_BATCH_SIZE callbacks due within a second of each other.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65_535)
  RABBITMQ_PREFETCH = 256;

  /** Callbacks per AMQP message at most: the broker's per-message cost is paid once per batch. 1: one each. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000)
  RABBITMQ_BATCH_SIZE = 100;

  /** Prefix of every exchange and queue Herald declares. */
  @IsString()
  RABBITMQ_PREFIX = 'herald';

  /** Full stack: read model, checkpoints and time index on MongoDB (mongodb://host:27017). Unset: the SQLite file. */
  @IsOptional()
  @IsString()
  MONGODB_URL?: string;

  @IsString()
  MONGODB_DATABASE = 'herald';

  get sqliteFile(): string {
    return join(resolve(this.DATA_DIR), 'herald.sqlite');
  }

  /** Read model, time index and checkpoints: all rebuilt from the log if this file is deleted. */
  get sqliteProjectionsFile(): string {
    return join(resolve(this.DATA_DIR), 'herald-projections.sqlite');
  }
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Reads and validates the environment; throws ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): HeraldConfig {
  const known = Object.keys(new HeraldConfig());
  const given = Object.fromEntries(known.filter((k) => env[k] !== undefined && env[k] !== '').map((k) => [k, env[k]]));
  const config = plainToInstance(HeraldConfig, given, { exposeDefaultValues: true });
  const errors = validateSync(config, { forbidUnknownValues: false });
  if (errors.length > 0) {
    const lines = errors.map((e) => `${e.property}=${JSON.stringify(env[e.property])}: ${Object.values(e.constraints ?? {}).join('; ')}`);
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return config;
}
