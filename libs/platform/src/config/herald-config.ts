import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Max, Min, validateSync } from 'class-validator';
import { join, resolve } from 'node:path';
import { signingSecretsProblem, toSecretList } from './signing-secrets';
import { SatisfiesRule } from '../http/rule.decorator';
import { networkListProblem, splitNetworkList } from '../net/network-list';
import { ApiKeyEntry, apiKeysProblem } from '../auth/api-keys';
import { resolveAuth } from '../auth/auth-config';
import { burstProblem } from '../rate-limit/rate-limits';
import { ConfigError } from './config-error';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const toBool = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : value === 'true' || value === '1');
const toJson = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return 'not JSON'; // reported by the rule: "must be a JSON array …"
  }
};
const toNetworks = ({ value }: { value: unknown }) => (value === undefined ? undefined : splitNetworkList(value));

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

  /**
   * Interface to listen on. Unset: 0.0.0.0 when API keys are configured,
   * else 127.0.0.1 — a Herald without keys serves only its own machine.
   */
  @IsString()
  HOST = '';

  /**
   * API keys, a JSON array: `[{ "id": "ops", "key": "<secret>", "scopes":
   * ["admin"] }, { "id": "shop", "key": "<secret>", "scopes": ["read",
   * "write", "work"], "owner": "shop" }]`. Callers send `Authorization:
   * Bearer <key>`. Never logged, not even when malformed.
   */
  @Transform(toJson)
  @SatisfiesRule(apiKeysProblem)
  HERALD_API_KEYS: ApiKeyEntry[] = [];

  /** A file holding keys in the same JSON form (a mounted secret), added to HERALD_API_KEYS'. Read once at start. */
  @IsString()
  HERALD_API_KEYS_FILE = '';

  /**
   * `off`: accept unauthenticated calls on any address, for a Herald behind
   * something that authenticates for it. Without keys and with `on` (the
   * default), a non-loopback HOST refuses to start.
   */
  @IsIn(['on', 'off'])
  HERALD_AUTH: 'on' | 'off' = 'on';

  /**
   * Calls a second each API key may make (each client address when no keys
   * are configured), averaged over 10 s; past it, 429 with Retry-After. 0
   * (the default): no limit. Off by default because Herald is self-hosted:
   * its clients are the operator's own services, and a batch defining
   * thousands of reminders a second is ordinary use (the benchmarks do it);
   * a limit that fits is one the operator chooses for their clients.
   * Counts every route but the worker protocol and /health.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  RATE_LIMIT_PER_SECOND = 0;

  /** Calls within any one second, on top of RATE_LIMIT_PER_SECOND (at least it). 0: twice RATE_LIMIT_PER_SECOND. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  @SatisfiesRule(burstProblem('RATE_LIMIT_PER_SECOND'))
  RATE_LIMIT_BURST = 0;

  /**
   * The worker protocol's own budget (lease, heartbeat, complete, fail,
   * release, batch reports), per key or address like the API's, so that a
   * fleet of workers long-polling and reporting neither spends the API's
   * budget nor is starved by it. 0 (the default): no limit.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  RATE_LIMIT_WORKER_PER_SECOND = 0;

  /** Worker protocol calls within any one second (at least RATE_LIMIT_WORKER_PER_SECOND). 0: twice RATE_LIMIT_WORKER_PER_SECOND. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  @SatisfiesRule(burstProblem('RATE_LIMIT_WORKER_PER_SECOND'))
  RATE_LIMIT_WORKER_BURST = 0;

  /**
   * /health's own budget: probes a second each client address may make
   * (always per address: /health needs no key), averaged over 10 s, in
   * bursts of twice that; past it, 429 with Retry-After. Apart from the API
   * and worker budgets, which never limit /health. 0 (the default): /health
   * is never limited, since a liveness or readiness probe refused with a 429
   * would take a healthy replica out of service; set it above what the
   * probes of every orchestrator and load balancer sharing an address send.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  RATE_LIMIT_HEALTH_PER_SECOND = 0;

  /**
   * Rate limits count in Redis (redis://[:password@]host:6379[/db]), shared
   * by every replica; unset: in each process's memory. While Redis cannot be
   * reached, each replica counts on its own (logged), so limits hold per
   * replica rather than lapsing or refusing every call.
   */
  @IsOptional()
  @IsString()
  REDIS_URL?: string;

  /** Prefix of every Redis key the rate limits use (one per key or address and window, expiring with it). */
  @IsString()
  RATE_LIMIT_REDIS_PREFIX = 'herald:rate-limit:';

  /**
   * CIDR networks of reverse proxies (load balancers) in front of Herald: a
   * connection from one of them is taken to be from the address its
   * X-Forwarded-For names (the last one not itself a listed proxy), for the
   * per-address rate limits and the request log. Empty (the default): the
   * connecting address is the client, and X-Forwarded-For is ignored (anyone
   * could write it). Behind a proxy without this, every client shares the
   * proxy's address, so without API keys they share one rate budget.
   */
  @Transform(toNetworks)
  @SatisfiesRule(networkListProblem)
  TRUST_PROXY: string[] = [];

  /** Where the embedded SQLite file lives. */
  @IsString()
  DATA_DIR = './data';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** One log line per HTTP request. */
  @Transform(toBool)
  @IsIn([true, false])
  LOG_REQUESTS = true;

  /**
   * GET /metrics (Prometheus text) and the default process metrics. false:
   * no route (404), no default collectors, no per-request hook; Herald's own
   * counters still count in memory (a few nanoseconds each), unread.
   */
  @Transform(toBool)
  @IsIn([true, false])
  METRICS_ENABLED = true;

  /**
   * The API reference: Swagger UI at GET /api/docs and the OpenAPI document
   * at GET /api/docs-json, open without an API key (like /health: the
   * document describes routes and shapes, never data or configuration).
   * false: neither route (404), and the document is never built.
   */
  @Transform(toBool)
  @IsIn([true, false])
  API_DOCS_ENABLED = true;

  /**
   * Task types are chosen by clients, and each one is a label value of the
   * task metrics (a time series per type and status). The first this many
   * types a process sees are reported by name, any later one as `other`,
   * so a client inventing types cannot grow the scrape without bound.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  METRICS_TASK_TYPES_MAX = 100;

  /**
   * OpenTelemetry: where spans are exported, OTLP over HTTP with JSON bodies
   * (`<endpoint>/v1/traces`, e.g. `http://otel-collector:4318`). Unset: no
   * spans are recorded or exported (and none cost anything), but the W3C
   * `traceparent` is still propagated: from the request that defined a
   * reminder or enqueued a task, through its events' metadata, to the
   * callback request and the worker's lease. The SDK reads its other
   * standard variables (OTEL_EXPORTER_OTLP_HEADERS, OTEL_BSP_*,
   * OTEL_TRACES_SAMPLER, OTEL_RESOURCE_ATTRIBUTES) from the environment.
   */
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  /** `service.name` of the exported spans. Empty: `herald-<service>` (herald-all-in-one, herald-command-api, …). */
  @IsString()
  OTEL_SERVICE_NAME = '';

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

  /**
   * Services sharing the SQLite file wake their latency-path subscriptions
   * (task starts, schedule occurrences, the live feed) on each other's
   * commits, as the kernel reports writes to the WAL; under steady load at
   * most once per this many ms, so that they read pages, not single events.
   * 0: on every report. Read models keep SQLITE_POLL_INTERVAL_MS.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60_000)
  SQLITE_OTHER_COMMITS_INTERVAL_MS = 5;

  /** Largest request body accepted (413 beyond). */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(64 * 1024 * 1024)
  BODY_LIMIT_BYTES = 1024 * 1024;

  /**
   * A refusal decided before its request body has arrived (413 over
   * BODY_LIMIT_BYTES, 415, an early 401/429) is sent once the rest of the
   * body, up to this many bytes, has been read and discarded: a client still
   * uploading would otherwise meet a closed socket and see EPIPE/ECONNRESET
   * instead of the answer. Longer bodies are answered at once and cut off
   * (the client may see a reset). The default is the largest BODY_LIMIT_BYTES
   * allowed, so a body just over any limit is drained; discarding costs the
   * server read time only, no memory, and on a LAN 64 MiB is a fraction of
   * a second. 0: refusals are answered at once and the connection closed.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1024 * 1024 * 1024)
  REFUSED_BODY_DRAIN_BYTES = 64 * 1024 * 1024;

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

  /**
   * Views kept in memory per view type for reads by id (GET /…/:id), kept
   * true by this process's own projection writes: up to +31–37 % GETs a
   * second on the embedded app (docs/BENCHMARKS.md). 0: every read goes to
   * the store.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  VIEW_CACHE_ENTRIES = 10_000;

  /**
   * The live feed (GET /api/v1/stream): a comment line this often on every
   * open feed, so proxies and load balancers do not close an idle one.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1_000)
  @Max(3_600_000)
  FEED_KEEPALIVE_MS = 15_000;

  /**
   * The live feed's in-memory tail: the latest events of the feed's
   * categories, from which every connected client is served. A client that
   * falls further behind (or resumes from older) reads the log itself until
   * it is back within it.
   */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(1_000_000)
  FEED_BUFFER_EVENTS = 10_000;

  /** Open feeds per process; one more is answered 503 with Retry-After (an EventSource: a 200 saying `retry:`, see FeedController). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  FEED_MAX_CLIENTS = 10_000;

  /**
   * Query API: the command API's base URL (`http://command-api:3000`). Set,
   * the query API forwards the writes it is sent — POST, PUT, PATCH and
   * DELETE under /api/v1/{reminders,tasks,schedules,notifications,workers} —
   * to it and passes the answer back, so one address serves reads, the live
   * feed, the dashboard and its actions. Unset: those answer 404 there.
   * Other services ignore it.
   */
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  COMMAND_API_URL?: string;

  /** Owners of resources the feed remembers, for its owner filter (owner-limited keys); older ones are read again from their streams. */
  @Transform(toInt)
  @IsInt()
  @Min(1_000)
  @Max(10_000_000)
  FEED_OWNER_CACHE = 100_000;

  /**
   * How long an Idempotency-Key answers for its first request (same key and
   * request: the same answer, nothing created; another request: 422). After
   * it, the key may be used for a new resource.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1_000)
  @Max(30 * 86_400_000)
  IDEMPOTENCY_TTL_MS = 86_400_000;

  /**
   * How long a resource created under an Idempotency-Key whose use is not yet
   * recorded counts as its request still in flight: a repeat meanwhile is a
   * 409 (retry shortly). Older, the request is taken to have crashed between
   * creating and recording, and the repeat finishes it. Longer than a create
   * takes, much shorter than a client waits before retrying.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1_000)
  @Max(600_000)
  IDEMPOTENCY_IN_FLIGHT_MS = 10_000;

  /**
   * Keep-alive connections per receiver origin. As many as callbacks in
   * flight (CALLBACK_CONCURRENCY), so a burst due at one instant to one
   * receiver goes out at once rather than queueing behind a smaller cap
   * (10,000 schedules a minute, 167 callbacks on each second: the last of a
   * burst left 39 → 19 ms after its time, median second, with 256 against
   * 128; docs/BENCHMARKS.md). Lower it for a receiver that cannot take as many.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  CALLBACK_CONNECTIONS_PER_ORIGIN = 256;

  /**
   * Standard Webhooks signing secrets (`whsec_<base64>`, comma separated).
   * Every callback is signed with each, so a receiver can move from the old
   * secret to the new one while both are listed. Empty: callbacks unsigned.
   */
  @Transform(toSecretList)
  @SatisfiesRule(signingSecretsProblem)
  CALLBACK_SIGNING_SECRETS: string[] = [];

  /**
   * CIDR networks callbacks must not reach, on top of the always-refused
   * link-local (cloud metadata), unspecified, multicast and broadcast ones.
   * Empty by default: self-hosted callbacks usually go to internal services,
   * so loopback and private networks stay reachable unless an operator says
   * otherwise (e.g. `10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,127.0.0.0/8,::1/128,fc00::/7`).
   */
  @Transform(toNetworks)
  @SatisfiesRule(networkListProblem)
  CALLBACK_DENY_NETWORKS: string[] = [];

  /**
   * Exceptions to CALLBACK_DENY_NETWORKS only (say, one internal host inside a
   * denied range). It never reopens the always-refused networks: those guard
   * the cloud metadata endpoint, which no callback has a reason to reach.
   */
  @Transform(toNetworks)
  @SatisfiesRule(networkListProblem)
  CALLBACK_ALLOW_NETWORKS: string[] = [];

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

  /**
   * How long a read model (the views behind GET and list) lets events gather
   * after a small batch before it reads on: under steady load, one transaction
   * per window instead of one per event. Off (0) by default: a GET by id
   * finds a new resource anyway (it falls back on the log), but a list right
   * after a POST would miss it for up to the window; turn it on for
   * write-heavy deployments whose clients do not list what they just wrote.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1_000)
  PROJECTION_BATCH_WINDOW_MS = 0;

  /**
   * The same for the reminder timers (the time index of callbacks): their
   * entries are planned when a reminder is defined, seconds or more ahead, and
   * no endpoint reads them; under load their work is mostly dropping finished
   * reminders' entries. A reminder due at once (a retrigger now, a past
   * dueAt) fires up to this much later. Task starts and lease expiries, on
   * the pickup path, never wait. 0 turns it off.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1_000)
  SCHEDULER_BATCH_WINDOW_MS = 10;

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

/** Variables whose values must never reach a log, not even when malformed. */
const SECRET_VARIABLES = new Set(['CALLBACK_SIGNING_SECRETS', 'HERALD_API_KEYS']);
const shown = (name: string, env: NodeJS.ProcessEnv) => (SECRET_VARIABLES.has(name) ? '(value not shown)' : JSON.stringify(env[name]));

export { ConfigError };

/** Reads and validates the environment; throws ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): HeraldConfig {
  const known = Object.keys(new HeraldConfig());
  const given = Object.fromEntries(known.filter((k) => env[k] !== undefined && env[k] !== '').map((k) => [k, env[k]]));
  const config = plainToInstance(HeraldConfig, given, { exposeDefaultValues: true });
  const errors = validateSync(config, { forbidUnknownValues: false });
  if (errors.length > 0) {
    const lines = errors.map((e) => `${e.property}=${shown(e.property, env)}: ${Object.values(e.constraints ?? {}).join('; ')}`);
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return resolveAuth(config);
}
