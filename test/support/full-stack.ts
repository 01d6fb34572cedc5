import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { RabbitMqDelayedDelivery } from '@herald/scheduling';
import { RabbitMqTaskQueue } from '@herald/tasks';
import { RABBITMQ_TEST_URL, eventually } from '@herald/testing';
import { CallbackReceiver } from './receiver';
import { call, removeDataDir, tempDataDir } from './herald';
import { HeraldProcess, freePort } from './herald-process';

export interface Replicas {
  /** The first command API: the one that created the schema. */
  commandApi: HeraldProcess;
  /** Every command API, the first one included. */
  commandApis: HeraldProcess[];
  schedulers: HeraldProcess[];
  workers: HeraldProcess[];
  queryApis: HeraldProcess[];
  all: HeraldProcess[];
  dataDir: string;
  prefix: string;
}

export interface ReplicaOptions {
  /** How many command API processes (default 1): more compete for the same per-type task queues. */
  commandApis?: number;
}

/**
 * The four services as separate OS processes — one command API unless asked
 * for more, two of everything else — over a shared SQLite file (WAL) and the
 * real RabbitMQ.
 */
export async function startReplicas(env: Record<string, string> = {}, options: ReplicaOptions = {}): Promise<Replicas> {
  const dataDir = tempDataDir();
  const prefix = `herald-e2e-${randomUUID().slice(0, 8)}`;
  const common = {
    DATA_DIR: dataDir,
    RABBITMQ_URL: RABBITMQ_TEST_URL,
    RABBITMQ_PREFIX: prefix,
    RABBITMQ_DELAY_MODE: 'auto',
    SQLITE_POLL_INTERVAL_MS: '20',
    LOG_LEVEL: 'warn',
    RETRY_BASE_DELAY_MS: '200',
    RETRY_MAX_DELAY_MS: '1000',
    SCHEDULER_HORIZON_MS: '8000',
    SCHEDULER_CLAIM_TTL_MS: '2000',
    CALLBACK_CONCURRENCY: '64',
    ...env,
  };
  const make = async (app: string) => new HeraldProcess(app, { ...common, PORT: String(await freePort()) });
  const commandApis: HeraldProcess[] = [];
  for (let i = 0; i < (options.commandApis ?? 1); i++) commandApis.push(await make('command-api'));
  const [commandApi] = commandApis;
  const schedulers = [await make('scheduler'), await make('scheduler')];
  const workers = [await make('callback-worker'), await make('callback-worker')];
  const queryApis = [await make('query-api'), await make('query-api')];
  const all = [...commandApis, ...schedulers, ...workers, ...queryApis];
  const replicas = { commandApi, commandApis, schedulers, workers, queryApis, all, dataDir, prefix };
  try {
    await commandApi.start(); // creates the schema before the others race for it
    await Promise.all(all.slice(1).map((p) => p.start()));
  } catch (error) {
    // One failed to come up: the ones that did must not outlive the test (they would keep jest running).
    await stopReplicas(replicas).catch(() => undefined);
    throw error;
  }
  return replicas;
}

/** Topics the services may declare queues for: every one is deleted after a test. */
const TOPICS = ['callbacks', 'task-starts', 'task-leases', 'schedule-occurrences'];

/** Stops every process and deletes what they declared in the broker (pass the task types the test used). */
export async function stopReplicas(r: Replicas, taskTypes: readonly string[] = []): Promise<void> {
  await Promise.all(r.all.map((p) => p.stop()));
  removeDataDir(r.dataDir);
  await RabbitMqDelayedDelivery.deletePrefix(RABBITMQ_TEST_URL, r.prefix, TOPICS);
  await RabbitMqTaskQueue.deleteQueues(RABBITMQ_TEST_URL, r.prefix, taskTypes);
}

/** Defines `count` reminders due uniformly over [from, from + spreadMs], `concurrency` requests at a time. */
export async function defineMany(url: string, receiver: CallbackReceiver, count: number, from: number, spreadMs: number, concurrency = 32) {
  const ids: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const n = next++;
      const dueAt = new Date(from + (spreadMs * n) / count).toISOString();
      const r = await call(`${url}/api/v1/reminders`, { method: 'POST', json: { dueAt, address: `${receiver.url}/hook/${n % 10}`, payload: { n } } });
      if (r.status !== 201) throw new Error(`define ${n}: ${r.status} ${JSON.stringify(r.body)}`);
      ids[n] = r.body.id;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return ids;
}

/** Terminal events per stream, straight from the shared log. */
export function terminalEventsPerReminder(dataDir: string): Map<string, number> {
  const db = new Database(join(dataDir, 'herald.sqlite'), { readonly: true });
  try {
    const rows = db
      .prepare(
        `SELECT substr(stream, 10) AS id, COUNT(*) AS n FROM events
         WHERE type IN ('ReminderCompleted', 'ReminderFailed', 'ReminderCancelled') GROUP BY stream`,
      )
      .all() as { id: string; n: number }[];
    return new Map(rows.map((r) => [r.id, r.n]));
  } finally {
    db.close();
  }
}

/** The last log lines of every process (warnings and errors at LOG_LEVEL warn): printed when a wait fails, to say why. */
export function tailOfLogs(r: Pick<Replicas, 'all'>, lines = 20): string {
  return r.all.map((p, i) => `--- ${p.app} #${i}\n${p.output.join('').split('\n').slice(-lines).join('\n')}`).join('\n');
}

/** Runs `wait`; when it fails, prints what the processes logged last, then fails the same way. */
export async function explainingFailure<T>(r: Pick<Replicas, 'all'>, wait: () => Promise<T>): Promise<T> {
  try {
    return await wait();
  } catch (error) {
    console.error(`the services' last log lines:\n${tailOfLogs(r)}`);
    throw error;
  }
}

/** Counts reminders of a status through a query API, paging to the end. */
export async function countByStatus(url: string, status: string): Promise<number> {
  let count = 0;
  let cursor = '';
  do {
    const page = await call(`${url}/api/v1/reminders?status=${status}&limit=500${cursor ? `&cursor=${cursor}` : ''}`);
    count += page.body.items.length;
    cursor = page.body.nextCursor ?? '';
  } while (cursor);
  return count;
}

export async function waitAllCompleted(url: string, total: number, timeoutMs: number) {
  await eventually(
    () => countByStatus(url, 'Completed'),
    (n) => n === total,
    { timeoutMs, intervalMs: 500, what: `${total} reminders Completed` },
  );
}
