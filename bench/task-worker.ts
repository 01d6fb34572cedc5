import { createInterface } from 'node:readline';
import { Worker } from 'bullmq';
import PgBoss from 'pg-boss';
import { HeraldWorker, SettleReport } from '@herald/worker';

/**
 * One worker process of the task benchmark (bench/tasks.ts spawns it): a
 * no-op handler on Herald (the SDK), BullMQ or pg-boss, chosen by env.
 *
 *   TASK_SYSTEM  herald | bullmq | pgboss
 *   TASK_MODE    pickup (report each handler start against the task's sentAt)
 *                | throughput (report counts and the first start / last completion)
 *   TASK_TYPE    the Herald task type, BullMQ queue or pg-boss queue
 *   TASK_CONCURRENCY                   Herald SDK `concurrency`, BullMQ Worker `concurrency`
 *   HERALD_URL | REDIS_URL | PG_URL + PG_SCHEMA
 *   PGBOSS_BATCH_SIZE, PGBOSS_LOOPS, PGBOSS_POLL_S   pg-boss `batchSize`, work() calls, pollingIntervalSeconds
 *
 * Protocol with the bench, stdout lines `@bench <json>`: {t:'ready'} once
 * connected; after the bench writes `go` on stdin the worker starts taking
 * tasks; {t:'starts', s:[[n, sentAt, startAt]…]} (pickup) or
 * {t:'progress', started, done, firstStart, lastDone} (throughput) every
 * 100 ms. `done` is a completion the system confirmed: Herald answered the
 * complete call, BullMQ emitted 'completed' (after moveToFinished); pg-boss
 * completes after the handler returns, out of the worker's sight, so its
 * `done` counts handler returns and the bench reads completion from the
 * database. Times are wall-clock milliseconds with sub-millisecond precision,
 * comparable across processes on one machine.
 */

const now = () => performance.timeOrigin + performance.now();
const env = (name: string, fallback?: string): string => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`${name} is required`);
  return value;
};

const system = env('TASK_SYSTEM');
const mode = env('TASK_MODE');
const type = env('TASK_TYPE');
const concurrency = Number(env('TASK_CONCURRENCY', '32'));

interface TaskData {
  n: number;
  sentAt: number;
}

const samples: [number, number, number][] = [];
let started = 0;
let done = 0;
let firstStart = 0;
let lastDone = 0;
/** Herald only: complete calls not answered 2xx, and failed requests, by kind. */
const trouble: Record<string, number> = {};

function onStart(data: TaskData): void {
  const at = now();
  started++;
  if (firstStart === 0) firstStart = at;
  if (mode === 'pickup') samples.push([data.n, data.sentAt, Math.round(at * 10) / 10]);
}

function onDone(): void {
  done++;
  lastDone = now();
}

const send = (message: object) => process.stdout.write(`@bench ${JSON.stringify(message)}\n`);

function flush(): void {
  if (mode === 'pickup') {
    if (samples.length > 0) send({ t: 'starts', s: samples.splice(0) });
  } else {
    send({ t: 'progress', started, done, firstStart, lastDone, trouble });
  }
}

interface Runner {
  go(): Promise<void>;
  stop(): Promise<void>;
}

async function herald(): Promise<Runner> {
  // The SDK as users run it (its own connection pool); a complete report Herald answered is a completion it recorded.
  // Reports not recorded are counted: under overload the SDK's request timeout shows here.
  const onSettled = (report: SettleReport) => {
    if (report.outcome === 'complete' && report.recorded) return onDone();
    const key = `${report.outcome} ${report.recorded ? 'recorded' : 'not recorded'}`;
    trouble[key] = (trouble[key] ?? 0) + 1;
  };
  const worker = new HeraldWorker({ url: env('HERALD_URL'), concurrency, pollWaitMs: 20_000, logger: false, onSettled });
  worker.handle<TaskData>(type, async (ctx) => {
    onStart(ctx.params);
    return undefined;
  });
  return { go: () => worker.start(), stop: () => worker.stop() };
}

async function bullmq(): Promise<Runner> {
  const worker = new Worker<TaskData>(
    type,
    async (job) => {
      onStart(job.data);
    },
    { connection: { url: env('REDIS_URL') }, concurrency, autorun: false },
  );
  worker.on('completed', onDone);
  worker.on('error', (err) => console.error('bullmq worker error', err));
  await worker.waitUntilReady();
  return {
    go: async () => void worker.run(),
    stop: () => worker.close(),
  };
}

async function pgboss(): Promise<Runner> {
  // Maintenance and cron belong to the bench's own instance.
  const boss = new PgBoss({ connectionString: env('PG_URL'), schema: env('PG_SCHEMA'), supervise: false, schedule: false, migrate: false });
  boss.on('error', (err) => console.error('pg-boss error', err));
  await boss.start();
  const options = { batchSize: Number(env('PGBOSS_BATCH_SIZE', '100')), pollingIntervalSeconds: Number(env('PGBOSS_POLL_S', '0.5')) };
  const loops = Number(env('PGBOSS_LOOPS', '1'));
  return {
    go: async () => {
      for (let i = 0; i < loops; i++) {
        await boss.work<TaskData>(type, options, async (jobs) => {
          for (const job of jobs) onStart(job.data);
          for (let i = 0; i < jobs.length; i++) onDone();
        });
      }
    },
    stop: () => boss.stop({ graceful: true, wait: true, timeout: 5_000 }),
  };
}

const SYSTEMS: Record<string, () => Promise<Runner>> = { herald, bullmq, pgboss };

void (async () => {
  const make = SYSTEMS[system];
  if (!make) throw new Error(`unknown TASK_SYSTEM ${system}`);
  const runner = await make();
  const ticker = setInterval(flush, 100);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(ticker);
    await runner.stop().catch((err) => console.error('stop failed', err));
    flush();
    send({ t: 'stopped' });
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line.trim() === 'go') void runner.go().then(() => send({ t: 'going' }));
    if (line.trim() === 'stop') void stop();
  });
  send({ t: 'ready' });
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
