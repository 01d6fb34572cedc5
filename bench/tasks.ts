import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { connect } from 'amqplib';
import Database from 'better-sqlite3';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import PgBoss from 'pg-boss';
import { Pool } from 'undici';
import { RabbitMqDelayedDelivery } from '@herald/scheduling';
import { DELAY_TOPICS, ROOT, Service, freePort, percentile, removeDir, tempDir, waitFor } from './support';

/**
 * The task benchmark (npm run bench:tasks): pickup latency with idle workers
 * and throughput of no-op tasks, for Herald embedded, Herald full stack,
 * BullMQ and pg-boss, in one run on the same machine. Worker processes are
 * bench/task-worker.ts, one OS process each, for every system. Definitions
 * and figures: the Tasks section of docs/BENCHMARKS.md.
 *
 *   npm run bench:tasks [-- embedded full-stack bullmq pgboss] [pickup | throughput]
 *
 * Needs `npm run build` first, and the local RabbitMQ, Redis and PostgreSQL
 * (RABBITMQ_URL, REDIS_URL, PG_URL). Results are merged into
 * bench/results/latest.json under `tasks`, unless one of these diagnostic
 * knobs is set: BENCH_TASKS (backlog size), BENCH_TASK_WORKERS ('1,4'),
 * BENCH_PICKUP_SECONDS (10), BENCH_NODE_ARGS (Herald's processes, e.g. a CPU
 * profile), BENCH_WORKER_NODE_ARGS, BENCH_REMINDER_EVERY_MS,
 * SQLITE_POLL_INTERVAL_MS (passed to Herald), BENCH_NO_WRITE.
 * BENCH_KEEP_DATA=1 keeps Herald's SQLite files.
 */

export type TaskSystem = 'embedded' | 'full-stack' | 'bullmq' | 'pgboss';
export const TASK_SYSTEMS: TaskSystem[] = ['embedded', 'full-stack', 'bullmq', 'pgboss'];

const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PG_URL = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Pickup: rates × 10 s, after a 1 s warm-up at 100/s that is not measured. */
const PICKUP_RATES = [100, 500];
const PICKUP_SECONDS = Number(process.env.BENCH_PICKUP_SECONDS ?? 10);
const WARMUP = { rate: 100, seconds: 1 };
/**
 * Throughput: this many no-op tasks queued, then the workers start — about as
 * many as each system completes in 15–30 s here (BENCH_TASKS overrides all).
 */
const THROUGHPUT_TASKS: Record<TaskSystem, number> = process.env.BENCH_TASKS
  ? {
      embedded: Number(process.env.BENCH_TASKS),
      'full-stack': Number(process.env.BENCH_TASKS),
      bullmq: Number(process.env.BENCH_TASKS),
      pgboss: Number(process.env.BENCH_TASKS),
    }
  : { embedded: 20_000, 'full-stack': 20_000, bullmq: 100_000, pgboss: 100_000 };
const THROUGHPUT_WORKERS = (process.env.BENCH_TASK_WORKERS ?? '1,4').split(',').map(Number);

/**
 * Each system's batching knobs (stated in docs/BENCHMARKS.md). Pickup: one
 * worker process. Throughput: per worker process.
 */
export const KNOBS = {
  herald: { pickup: { concurrency: 100 }, throughput: { concurrency: 100 } }, // SDK concurrency; lease `max` = free slots (≤ 100)
  bullmq: { pickup: { concurrency: 100 }, throughput: { concurrency: 100 } }, // Worker concurrency
  // v10 has no teamSize: a work() loop fetches up to batchSize jobs, then waits out the polling interval (minimum 0.5 s)
  // even after a full batch; so batchSize must exceed what arrives in 0.5 s, and throughput takes several loops.
  pgboss: { pickup: { batchSize: 1_000, loops: 1, pollS: 0.5 }, throughput: { batchSize: 1_000, loops: 4, pollS: 0.5 } },
};

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (v: number, digits = 1) => (Number.isFinite(v) ? Math.round(v * 10 ** digits) / 10 ** digits : v);

interface TaskData {
  n: number;
  sentAt: number;
}

/** One system under test, as the bench drives it. */
interface TaskTarget {
  readonly system: TaskSystem;
  /** Env of this system's worker processes (besides mode, type and knobs). */
  readonly workerEnv: Record<string, string>;
  prepare(type: string): Promise<void>;
  /** One enqueue request; resolves when answered. `data.sentAt` is taken just before it is sent. */
  enqueueOne(type: string, data: () => TaskData): Promise<void>;
  /** `count` tasks as fast as the system takes them (its bulk path where it has one). */
  enqueueMany(type: string, count: number): Promise<{ seconds: number; failed: number }>;
  /** Resolves once `count` tasks of the type wait for a worker. */
  waitQueued(type: string, count: number): Promise<void>;
  /** Herald: tasks offered to the lease endpoint and not yet taken (its /health), sampled during pickup. */
  queueDepth?(type: string): Promise<number>;
  /** Completions, first lease and last completion as the system itself recorded them (Herald: its log; pg-boss: its job table). */
  completions?(type: string): Promise<{ done: number; first: number; last: number }>;
  /** What `completions` reads. */
  readonly measuredBy?: string;
  stop(): Promise<void>;
}

/** Herald over HTTP: POST /api/v1/tasks through a keep-alive pool; the queue's depth from /health. */
function heraldClient(url: string) {
  const pool = new Pool(url, { connections: 64, pipelining: 1 });
  const post = async (type: string, data: TaskData) => {
    const res = await pool.request({
      path: '/api/v1/tasks',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type, params: data }),
    });
    await res.body.dump();
    if (res.statusCode !== 202) throw new Error(`enqueue answered ${res.statusCode}`);
  };
  return {
    enqueueOne: async (type: string, data: () => TaskData) => post(type, data()),
    enqueueMany: async (type: string, count: number) => {
      const started = now();
      let next = 0;
      let failed = 0;
      const lane = async () => {
        while (next < count) {
          const n = next++;
          await post(type, { n, sentAt: now() }).catch(() => failed++);
        }
      };
      await Promise.all(Array.from({ length: 64 }, lane));
      return { seconds: (now() - started) / 1000, failed };
    },
    queueDepth: async (type: string) => queuedOf(await (await fetch(`${url}/health`)).json(), type),
    waitQueued: async (type: string, count: number) => {
      await waitFor(
        async () => queuedOf(await (await fetch(`${url}/health`)).json(), type),
        (n) => n >= count,
        180_000,
        `${count} tasks of ${type} queued in Herald`,
      );
    },
    close: () => pool.close(),
  };
}

/** The task queue's depth for a type in Herald's /health answer, wherever the probe put it. */
function queuedOf(health: unknown, type: string): number {
  let found = 0;
  const visit = (node: unknown, inQueue: boolean) => {
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (inQueue && key === type && typeof value === 'number') found = Math.max(found, value);
      else visit(value, inQueue || key === 'task-queue' || key === 'waiting');
    }
  };
  visit(health, false);
  return found;
}

async function embedded(): Promise<TaskTarget> {
  const dir = tempDir('tasks');
  const herald = await new Service('all-in-one', { DATA_DIR: dir, PORT: String(await freePort()) }).start();
  const client = heraldClient(herald.url);
  const log = heraldLog(dir);
  return {
    system: 'embedded',
    workerEnv: { TASK_SYSTEM: 'herald', HERALD_URL: herald.url },
    prepare: async () => undefined,
    ...client,
    completions: log.completions,
    measuredBy: HERALD_MEASURE,
    stop: async () => {
      log.close();
      await client.close();
      await herald.stop();
      keepOrRemove(dir);
    },
  };
}

const HERALD_MEASURE = "Herald's event log: first TaskLeased → last TaskCompleted (recorded_at)";

/**
 * Herald's own record of a throughput run, read from its event log (read-only;
 * each run has a fresh data directory, so every task in it is the run's):
 * completions, the first TaskLeased and the last TaskCompleted, as recorded
 * (recorded_at is taken in the commit's transaction).
 */
function heraldLog(dir: string) {
  let db: Database.Database | null = null;
  let after = 0;
  let done = 0;
  let first = Infinity;
  let last = 0;
  return {
    completions: async () => {
      db ??= new Database(join(dir, 'herald.sqlite'), { readonly: true, fileMustExist: true });
      const rows = db
        .prepare(
          `SELECT type, count(*) AS n, min(recorded_at) AS first, max(recorded_at) AS last, max(position) AS head
           FROM events WHERE position > ? AND type IN ('TaskLeased', 'TaskCompleted') GROUP BY type`,
        )
        .all(after) as { type: string; n: number; first: number; last: number; head: number }[];
      for (const row of rows) {
        after = Math.max(after, row.head);
        if (row.type === 'TaskLeased') first = Math.min(first, row.first);
        else [done, last] = [done + row.n, Math.max(last, row.last)];
      }
      return { done, first, last };
    },
    close: () => db?.close(),
  };
}

/** BENCH_KEEP_DATA=1 keeps Herald's SQLite files for a look at the log afterwards (printed). */
function keepOrRemove(dir: string): void {
  if (process.env.BENCH_KEEP_DATA) console.log(`  Herald's data kept in ${dir}`);
  else removeDir(dir);
}

/** Topics the services declare delay queues for (see test/support/full-stack.ts). */

async function fullStack(): Promise<TaskTarget> {
  const dir = tempDir('tasks-fs');
  const prefix = `herald-bench-${randomUUID().slice(0, 8)}`;
  const env = { DATA_DIR: dir, RABBITMQ_URL, RABBITMQ_PREFIX: prefix };
  const types = new Set<string>();
  const services: Service[] = [];
  const cleanUp = async () => {
    await Promise.all(services.map((s) => s.stop()));
    keepOrRemove(dir);
    await RabbitMqDelayedDelivery.deletePrefix(RABBITMQ_URL, prefix, DELAY_TOPICS);
    await deleteTaskQueues(prefix, [...types]);
  };
  try {
    // The command API first: it creates the schema the others open.
    services.push(await new Service('command-api', { ...env, PORT: String(await freePort()) }).start());
    for (const app of ['scheduler', 'callback-worker', 'query-api'])
      services.push(await new Service(app, { ...env, PORT: String(await freePort()) }).start());
  } catch (error) {
    await cleanUp();
    throw error;
  }
  const client = heraldClient(services[0].url);
  const log = heraldLog(dir);
  return {
    system: 'full-stack',
    // Workers lease from the command API, which holds the task queue (or reaches it).
    workerEnv: { TASK_SYSTEM: 'herald', HERALD_URL: services[0].url },
    prepare: async (type) => void types.add(type),
    ...client,
    completions: log.completions,
    measuredBy: HERALD_MEASURE,
    stop: async () => {
      log.close();
      await client.close();
      await cleanUp();
    },
  };
}

/** `<prefix>.tasks.<type>`: the RabbitMQ task queue's queues, if that adapter was in use. A missing queue is fine. */
async function deleteTaskQueues(prefix: string, types: readonly string[]): Promise<void> {
  if (types.length === 0) return;
  const connection = await connect(RABBITMQ_URL);
  try {
    for (const type of types) {
      const channel = await connection.createChannel();
      channel.on('error', () => undefined);
      await channel.deleteQueue(`${prefix}.tasks.${type}`).catch(() => undefined);
      await channel.close().catch(() => undefined);
    }
  } finally {
    await connection.close();
  }
}

async function bullmq(): Promise<TaskTarget> {
  const connection = { url: REDIS_URL };
  const queues = new Map<string, Queue>();
  const queueOf = (type: string) => queues.get(type)!;
  return {
    system: 'bullmq',
    workerEnv: { TASK_SYSTEM: 'bullmq', REDIS_URL },
    prepare: async (type) => {
      const queue = new Queue(type, { connection });
      await queue.waitUntilReady();
      queues.set(type, queue);
    },
    // Completed jobs removed, as a busy BullMQ deployment would (Herald keeps every task's history).
    enqueueOne: async (type, data) => void (await queueOf(type).add('noop', data(), { removeOnComplete: true })),
    enqueueMany: async (type, count) => {
      const started = now();
      for (let from = 0; from < count; from += 1_000) {
        const jobs = [];
        for (let n = from; n < Math.min(count, from + 1_000); n++)
          jobs.push({ name: 'noop', data: { n, sentAt: now() }, opts: { removeOnComplete: true } });
        await queueOf(type).addBulk(jobs);
      }
      return { seconds: (now() - started) / 1000, failed: 0 };
    },
    waitQueued: async (type, count) =>
      void (await waitFor(
        () => queueOf(type).getWaitingCount(),
        (n) => n >= count,
        60_000,
        `${count} BullMQ jobs waiting`,
      )),
    stop: async () => {
      for (const [name, queue] of queues) {
        await queue.obliterate({ force: true });
        await queue.close();
        await deleteRedisKeys(`bull:${name}:*`);
      }
    },
  };
}

/** Whatever obliterate left (e.g. the queue's meta and events stream). */
async function deleteRedisKeys(pattern: string): Promise<void> {
  const redis = new IORedis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

async function pgboss(): Promise<TaskTarget> {
  const schema = `pgboss_bench_${randomUUID().slice(0, 8)}`;
  // The bench's instance installs the schema and runs pg-boss's maintenance; workers connect with migrate: false.
  const boss = new PgBoss({ connectionString: PG_URL, schema });
  boss.on('error', (err) => console.error('pg-boss error', err));
  await boss.start();
  const db = boss.getDb();
  return {
    system: 'pgboss',
    workerEnv: { TASK_SYSTEM: 'pgboss', PG_URL, PG_SCHEMA: schema },
    prepare: (type) => boss.createQueue(type),
    enqueueOne: async (type, data) => void (await boss.send(type, data() as unknown as object)),
    enqueueMany: async (type, count) => {
      const started = now();
      for (let from = 0; from < count; from += 1_000) {
        const jobs = [];
        for (let n = from; n < Math.min(count, from + 1_000); n++) jobs.push({ name: type, data: { n, sentAt: now() } });
        await boss.insert(jobs);
      }
      return { seconds: (now() - started) / 1000, failed: 0 };
    },
    waitQueued: async (type, count) =>
      void (await waitFor(
        () => boss.getQueueSize(type),
        (n) => n >= count,
        60_000,
        `${count} pg-boss jobs queued`,
      )),
    measuredBy: 'pg-boss job table: min(started_on) → max(completed_on)',
    completions: async (type) => {
      const { rows } = await db.executeSql(
        `SELECT count(*)::int AS done, extract(epoch FROM min(started_on)) * 1000 AS first, extract(epoch FROM max(completed_on)) * 1000 AS last
         FROM "${schema}".job WHERE name = $1 AND state = 'completed'`,
        [type],
      );
      const row = rows[0] as { done: number; first: string | null; last: string | null };
      return { done: row.done, first: Number(row.first), last: Number(row.last) };
    },
    stop: async () => {
      await boss.stop({ close: false, graceful: false });
      await db.executeSql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`, []);
      await (db as unknown as { close(): Promise<void> }).close();
    },
  };
}

const TARGETS: Record<TaskSystem, () => Promise<TaskTarget>> = { embedded, 'full-stack': fullStack, bullmq, pgboss };

/** A worker process (bench/task-worker.ts) and what it reported. */
class WorkerProcess {
  readonly child: ChildProcess;
  readonly starts: [number, number, number][] = [];
  progress = { started: 0, done: 0, firstStart: 0, lastDone: 0, trouble: {} as Record<string, number> };
  private readonly ready: Promise<void>;
  private readonly exited: Promise<void>;

  constructor(env: Record<string, string>) {
    const nodeArgs = (process.env.BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean);
    this.child = spawn(process.execPath, [...nodeArgs, '-r', '@swc-node/register', join(__dirname, 'task-worker.ts')], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
    this.ready = new Promise((resolve, reject) => {
      this.child.once('exit', (code) => reject(new Error(`task worker exited with ${code} before it was ready`)));
      createInterface({ input: this.child.stdout! }).on('line', (line) => {
        if (!line.startsWith('@bench ')) return void process.stdout.write(`[worker] ${line}\n`);
        const message = JSON.parse(line.slice(7)) as { t: string; s?: [number, number, number][] };
        if (message.t === 'ready') resolve();
        else if (message.t === 'starts') this.starts.push(...message.s!);
        else if (message.t === 'progress') this.progress = message as unknown as WorkerProcess['progress'];
      });
    });
    this.ready.catch(() => undefined);
  }

  whenReady(): Promise<void> {
    return this.ready;
  }

  go(): void {
    this.child.stdin!.write('go\n');
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.stdin!.write('stop\n');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(timer);
  }
}

function workerEnv(target: TaskTarget, mode: 'pickup' | 'throughput', type: string): Record<string, string> {
  const knobs = target.workerEnv.TASK_SYSTEM === 'pgboss' ? KNOBS.pgboss[mode] : KNOBS[target.workerEnv.TASK_SYSTEM as 'herald' | 'bullmq'][mode];
  const env: Record<string, string> = { ...target.workerEnv, TASK_MODE: mode, TASK_TYPE: type };
  if ('concurrency' in knobs) env.TASK_CONCURRENCY = String(knobs.concurrency);
  if ('batchSize' in knobs)
    Object.assign(env, { PGBOSS_BATCH_SIZE: String(knobs.batchSize), PGBOSS_LOOPS: String(knobs.loops), PGBOSS_POLL_S: String(knobs.pollS) });
  return env;
}

async function startWorkers(target: TaskTarget, mode: 'pickup' | 'throughput', type: string, count: number): Promise<WorkerProcess[]> {
  const workers = Array.from({ length: count }, () => new WorkerProcess(workerEnv(target, mode, type)));
  try {
    await Promise.all(workers.map((w) => w.whenReady()));
  } catch (error) {
    await Promise.all(workers.map((w) => w.stop()));
    throw error;
  }
  return workers;
}

/** Sends `rate`/s for `seconds`, each at its slot (never early), without waiting for answers; resolves when all were answered. */
async function paced(rate: number, seconds: number, firstN: number, send: (data: () => TaskData) => Promise<void>) {
  const count = rate * seconds;
  const t0 = now() + 20;
  const answers: Promise<void>[] = [];
  const answerMs: number[] = [];
  let failed = 0;
  let lastError = '';
  for (let i = 0; i < count;) {
    const t = now();
    while (i < count && t0 + (i * 1000) / rate <= t) {
      const n = firstN + i++;
      let sentAt = 0;
      answers.push(
        send(() => ({ n, sentAt: (sentAt = now()) })).then(
          () => void answerMs.push(now() - sentAt),
          (err: Error) => {
            failed++;
            lastError = err.message;
          },
        ),
      );
    }
    await sleep(1);
  }
  await Promise.all(answers);
  if (failed > 0) console.warn(`  ${failed} enqueue requests failed: ${lastError}`);
  answerMs.sort((a, b) => a - b);
  return { failed, answerP50: round(percentile(answerMs, 50)), answerP99: round(percentile(answerMs, 99)) };
}

export interface PickupResult {
  system: TaskSystem;
  rate: number;
  seconds: number;
  expected: number;
  received: number;
  duplicates: number;
  p50: number;
  p99: number;
  max: number;
  /** p99 per second of the window: where the tail sits. */
  p99PerSecond: number[];
  /** How long the enqueue request took to be answered (the producer's view). */
  enqueueAnswerP50: number;
  enqueueAnswerP99: number;
  enqueueFailed: number;
  /** Herald: most tasks seen waiting in the lease endpoint's queue (sampled every 100 ms); null for the others. */
  maxQueued: number | null;
  workerProcesses: number;
  knobs: Record<string, number>;
}

/** Pickup latency: one worker process already waiting; tasks enqueued at a steady rate; latency = handler start − enqueue request sent. */
async function pickup(target: TaskTarget): Promise<PickupResult[]> {
  const type = `bench.pickup.${randomUUID().slice(0, 8)}`;
  await target.prepare(type);
  const [worker] = await startWorkers(target, 'pickup', type, 1);
  const results: PickupResult[] = [];
  try {
    worker.go();
    await sleep(1_000); // the long poll (or blocking read, or first poll) is in place
    const phases = [
      { rate: WARMUP.rate, seconds: WARMUP.seconds, measured: false },
      ...PICKUP_RATES.map((rate) => ({ rate, seconds: PICKUP_SECONDS, measured: true })),
    ];
    for (const [k, phase] of phases.entries()) {
      const firstN = k * 1_000_000;
      const expected = phase.rate * phase.seconds;
      let maxDepth = 0;
      let sampling = true;
      const sampler = (async () => {
        while (sampling && target.queueDepth) {
          maxDepth = Math.max(maxDepth, await target.queueDepth(type).catch(() => 0));
          await sleep(100);
        }
      })();
      const enqueue = await paced(phase.rate, phase.seconds, firstN, (data) => target.enqueueOne(type, data));
      sampling = false;
      await sampler;
      const mine = () => worker.starts.filter(([n]) => n >= firstN && n < firstN + 1_000_000);
      await waitFor(
        () => mine().length,
        (n) => n >= expected - enqueue.failed,
        30_000,
        `${expected} pickups`,
      ).catch(() => undefined);
      await sleep(500); // late duplicates, and a pause between phases
      if (!phase.measured) continue;
      const samples = mine();
      const firsts = new Map<number, [number, number, number]>();
      for (const s of samples) if (!firsts.has(s[0])) firsts.set(s[0], s);
      const latencies = [...firsts.values()].map(([, sentAt, startAt]) => startAt - sentAt).sort((a, b) => a - b);
      const perSecond: number[] = [];
      const windowStart = Math.min(...[...firsts.values()].map(([, sentAt]) => sentAt));
      for (let s = 0; s < phase.seconds; s++) {
        const slice = [...firsts.values()]
          .filter(([, sentAt]) => sentAt - windowStart >= s * 1000 && sentAt - windowStart < (s + 1) * 1000)
          .map(([, sentAt, startAt]) => startAt - sentAt);
        perSecond.push(
          round(
            percentile(
              slice.sort((a, b) => a - b),
              99,
            ),
          ),
        );
      }
      const knobs = KNOBS[target.workerEnv.TASK_SYSTEM as keyof typeof KNOBS].pickup;
      const result: PickupResult = {
        system: target.system,
        rate: phase.rate,
        seconds: phase.seconds,
        expected,
        received: firsts.size,
        duplicates: samples.length - firsts.size,
        p50: round(percentile(latencies, 50)),
        p99: round(percentile(latencies, 99)),
        max: round(latencies[latencies.length - 1] ?? NaN),
        p99PerSecond: perSecond,
        enqueueAnswerP50: enqueue.answerP50,
        enqueueAnswerP99: enqueue.answerP99,
        enqueueFailed: enqueue.failed,
        maxQueued: target.queueDepth ? maxDepth : null,
        workerProcesses: 1,
        knobs,
      };
      console.log(
        `pickup ${target.system.padEnd(10)} ${String(phase.rate).padStart(4)}/s: p50 ${result.p50} ms, p99 ${result.p99} ms, max ${result.max} ms, ` +
          `received ${result.received}/${expected}, duplicates ${result.duplicates}${result.maxQueued !== null ? `, queued for a worker ≤ ${result.maxQueued}` : ''}; enqueue answered p50 ${result.enqueueAnswerP50} / p99 ${result.enqueueAnswerP99} ms; p99 per second [${perSecond.join(', ')}]`,
      );
      results.push(result);
    }
  } finally {
    await worker.stop();
  }
  return results;
}

export interface ThroughputResult {
  system: TaskSystem;
  workers: number;
  tasks: number;
  completed: number;
  started: number;
  /** First lease → last completion, as `measuredBy` says. */
  seconds: number;
  perSecond: number;
  enqueuePerSecond: number;
  enqueueFailed: number;
  knobs: Record<string, number>;
  measuredBy: string;
  /** Cross-check from the worker processes: completions they saw confirmed (pg-boss: handler returns), first handler start → last of those. */
  workerConfirmed: number;
  workerSeconds: number;
  /** Herald: complete calls not answered 2xx and failed requests, as the workers saw them (a completion missed by the count). */
  workerTrouble: Record<string, number>;
}

/** Throughput: `tasks` queued first, then `workers` processes started together; completed/s from first lease to last completion. */
async function throughput(target: TaskTarget, workerCount: number): Promise<ThroughputResult> {
  const type = `bench.throughput${workerCount}.${randomUUID().slice(0, 8)}`;
  await target.prepare(type);
  const tasks = THROUGHPUT_TASKS[target.system];
  const enqueued = await target.enqueueMany(type, tasks);
  const expected = tasks - enqueued.failed;
  await target.waitQueued(type, expected);
  const workers = await startWorkers(target, 'throughput', type, workerCount);
  try {
    workers.forEach((w) => w.go());
    const sum = (key: 'started' | 'done') => workers.reduce((acc, w) => acc + w.progress[key], 0);
    const completed = async () => (target.completions ? (await target.completions(type)).done : sum('done'));
    await untilStalled(completed, expected, 60_000);
    await sleep(300); // the last progress lines
    const workerFirst = Math.min(...workers.map((w) => w.progress.firstStart).filter((t) => t > 0));
    const workerLast = Math.max(...workers.map((w) => w.progress.lastDone));
    const { done, first, last } = target.completions ? await target.completions(type) : { done: sum('done'), first: workerFirst, last: workerLast };
    const seconds = (last - first) / 1000;
    const knobs = KNOBS[target.workerEnv.TASK_SYSTEM as keyof typeof KNOBS].throughput;
    const result: ThroughputResult = {
      system: target.system,
      workers: workerCount,
      tasks,
      completed: done,
      started: sum('started'),
      seconds: round(seconds, 2),
      perSecond: Math.round(done / seconds),
      enqueuePerSecond: Math.round(tasks / enqueued.seconds),
      enqueueFailed: enqueued.failed,
      knobs,
      measuredBy: target.measuredBy ?? "workers: first handler start → last 'completed' event (emitted after the job was moved to completed)",
      workerConfirmed: sum('done'),
      workerSeconds: round((workerLast - workerFirst) / 1000, 2),
      workerTrouble: {},
    };
    for (const w of workers)
      for (const [k, v] of Object.entries(w.progress.trouble ?? {})) result.workerTrouble[k] = (result.workerTrouble[k] ?? 0) + v;
    console.log(
      `throughput ${target.system.padEnd(10)} ${workerCount} worker process${workerCount > 1 ? 'es' : ''}: ${result.perSecond}/s ` +
        `(${done}/${tasks} completed in ${result.seconds} s, ${result.started} handler starts; workers saw ${result.workerConfirmed} confirmed in ${result.workerSeconds} s; ` +
        `enqueued at ${result.enqueuePerSecond}/s)` +
        (Object.keys(result.workerTrouble).length ? `; worker saw ${JSON.stringify(result.workerTrouble)}` : ''),
    );
    return result;
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
}

/** Waits until `count()` reaches `expected`, or gives up once it has not grown for `stallMs` (tasks lost or stuck: reported as such). */
async function untilStalled(count: () => Promise<number>, expected: number, stallMs: number): Promise<void> {
  let last = -1;
  let grewAt = Date.now();
  for (;;) {
    const n = await count();
    if (n >= expected) return;
    if (n !== last) [last, grewAt] = [n, Date.now()];
    if (Date.now() - grewAt > stallMs) return void console.warn(`  ${n}/${expected} completed, none more for ${stallMs / 1000} s: giving up`);
    await sleep(100);
  }
}

export interface TaskBenchResults {
  machine: { cpus: number; node: string };
  at: string;
  pickup: PickupResult[];
  throughput: ThroughputResult[];
}

/**
 * Every system one after another. Each measurement (the pickup runs, each
 * throughput run) gets a fresh instance — a new Herald data directory, BullMQ
 * queue or pg-boss schema — so that none inherits the previous one's data.
 */
export async function benchTasks(
  systems: readonly TaskSystem[] = TASK_SYSTEMS,
  parts: { pickup?: boolean; throughput?: boolean } = {},
): Promise<TaskBenchResults> {
  const results: TaskBenchResults = {
    machine: { cpus: cpus().length, node: process.version },
    at: new Date().toISOString(),
    pickup: [],
    throughput: [],
  };
  for (const system of systems) {
    if (parts.pickup ?? true) results.pickup.push(...(await withTarget(system, pickup)));
    if (parts.throughput ?? true)
      for (const n of THROUGHPUT_WORKERS) results.throughput.push(await withTarget(system, (target) => throughput(target, n)));
  }
  printTable(results);
  return results;
}

async function withTarget<T>(system: TaskSystem, measure: (target: TaskTarget) => Promise<T>): Promise<T> {
  await quietMachine();
  const target = await TARGETS[system]();
  const nudger = reminderNudger(target);
  try {
    return await measure(target);
  } finally {
    await nudger.stop();
    await target.stop();
  }
}

/**
 * Diagnostic only (BENCH_REMINDER_EVERY_MS=100; not part of the figures):
 * defines a far-off reminder every so often on a Herald target, so that its
 * reminder subscriptions see an event of theirs at least that often. See the
 * Tasks section of docs/BENCHMARKS.md: a subscription whose stream category
 * is quiet re-reads the whole log after its last event on every wake-up.
 */
function reminderNudger(target: TaskTarget): { stop(): Promise<void> } {
  const every = Number(process.env.BENCH_REMINDER_EVERY_MS ?? 0);
  const url = target.workerEnv.HERALD_URL;
  if (!every || !url) return { stop: async () => undefined };
  let running = true;
  const loop = (async () => {
    while (running) {
      const body = JSON.stringify({ hours: 24, address: 'http://127.0.0.1:9/never' });
      await fetch(`${url}/api/v1/reminders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).catch(() => undefined);
      await sleep(every);
    }
  })();
  return { stop: async () => ((running = false), await loop) };
}

/** CPU busy share of the whole machine over `ms`, from /proc/stat. */
async function machineBusy(ms: number): Promise<number> {
  const read = () => {
    const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    const values = fields.map(Number);
    const idle = values[3] + (values[4] ?? 0);
    return { idle, total: values.reduce((a, b) => a + b, 0) };
  };
  const a = read();
  await sleep(ms);
  const b = read();
  return 1 - (b.idle - a.idle) / Math.max(1, b.total - a.total);
}

/**
 * The machine is shared: before each measurement, wait (up to 2 minutes) for
 * it to be below 25 % busy over 2 s, so that nothing heavy of someone else's
 * runs at the start of a measurement. Says so when it had to wait or gave up.
 */
async function quietMachine(): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const busy = await machineBusy(2_000);
    if (busy < 0.25) return;
    if (Date.now() > deadline) return void console.warn(`  the machine is still ${Math.round(busy * 100)} % busy with other work; measuring anyway`);
    console.warn(`  the machine is ${Math.round(busy * 100)} % busy with other work; waiting`);
    await sleep(5_000);
  }
}

const LABELS: Record<TaskSystem, string> = { embedded: 'Herald embedded', 'full-stack': 'Herald full stack', bullmq: 'BullMQ', pgboss: 'pg-boss' };

function printTable(results: TaskBenchResults): void {
  const systems = TASK_SYSTEMS.filter((s) => results.pickup.some((r) => r.system === s) || results.throughput.some((r) => r.system === s));
  const cell = (r: PickupResult | undefined) => (r ? `${r.p50} / ${r.p99} / ${r.max}` : '–');
  const rows = [
    [
      'system',
      ...PICKUP_RATES.map((rate) => `pickup ${rate}/s p50/p99/max ms`),
      ...THROUGHPUT_WORKERS.map((n) => `no-op/s, ${n} worker${n > 1 ? 's' : ''}`),
    ],
    ...systems.map((s) => [
      LABELS[s],
      ...PICKUP_RATES.map((rate) => cell(results.pickup.find((r) => r.system === s && r.rate === rate))),
      ...THROUGHPUT_WORKERS.map((n) => String(results.throughput.find((r) => r.system === s && r.workers === n)?.perSecond ?? '–')),
    ]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  console.log();
  for (const row of rows) console.log(row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
  console.log('targets: pickup p99 ≤ 20 ms at 500/s; ≥ 2,000 no-op tasks/s completed embedded');
}

/** Merges into bench/results/latest.json under `tasks`, replacing only the rows of the systems just run. */
export function mergeTaskResults(results: TaskBenchResults, file = join(ROOT, 'bench', 'results', 'latest.json')): void {
  const all = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  const previous = (all.tasks ?? { pickup: [], throughput: [] }) as TaskBenchResults;
  const ran = new Set([...results.pickup, ...results.throughput].map((r) => r.system));
  all.tasks = {
    machine: results.machine,
    at: results.at,
    pickup: [...(previous.pickup ?? []).filter((r) => !ran.has(r.system)), ...results.pickup],
    throughput: [...(previous.throughput ?? []).filter((r) => !ran.has(r.system)), ...results.throughput],
  };
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(file, JSON.stringify(all, null, 2));
  console.log(`task results merged into ${file} under "tasks"`);
}

/** Knobs that change the workload or the processes measured: a run with any of them set is not recorded. */
const DIAGNOSTIC_ENV = [
  'BENCH_NO_WRITE',
  'BENCH_NODE_ARGS',
  'BENCH_WORKER_NODE_ARGS',
  'BENCH_REMINDER_EVERY_MS',
  'BENCH_TASKS',
  'BENCH_TASK_WORKERS',
  'BENCH_PICKUP_SECONDS',
  'SQLITE_POLL_INTERVAL_MS',
  'SQLITE_OTHER_COMMITS_INTERVAL_MS',
];

if (require.main === module) {
  // npm run bench:tasks [-- embedded full-stack bullmq pgboss] [pickup | throughput]
  const args = process.argv.slice(2);
  const systems = args.filter((a): a is TaskSystem => (TASK_SYSTEMS as string[]).includes(a));
  const unknown = args.filter((a) => !(TASK_SYSTEMS as string[]).includes(a) && a !== 'pickup' && a !== 'throughput');
  if (unknown.length > 0) {
    console.error(`unknown argument(s) ${unknown.join(', ')}: systems are ${TASK_SYSTEMS.join(', ')}; parts pickup, throughput`);
    process.exit(2);
  }
  const only = args.find((a) => a === 'pickup' || a === 'throughput');
  void benchTasks(systems.length ? systems : TASK_SYSTEMS, only ? { pickup: only === 'pickup', throughput: only === 'throughput' } : {})
    .then((results) => {
      // Diagnostic and non-standard runs are printed, not recorded: latest.json keeps the figures docs/BENCHMARKS.md quotes.
      const nonStandard = DIAGNOSTIC_ENV.filter((name) => process.env[name]);
      if (nonStandard.length > 0) console.log(`not merged into bench/results/latest.json (set: ${nonStandard.join(', ')})`);
      else mergeTaskResults(results);
    })
    .then(
      () => process.exit(0),
      (err) => {
        console.error(err);
        process.exit(1);
      },
    );
}
