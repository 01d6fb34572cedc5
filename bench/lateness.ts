import { RabbitMqDelayedDelivery } from '@herald/scheduling';
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DELAY_TOPICS, ROOT, Service, freePort, latenessStats, postMany, removeDir, startReceiver, tempDir, waitFor } from './support';

export type System = 'embedded' | 'full-stack' | 'bullmq';

const WINDOW_MS = 10_000;
const LEAD_MS = 3_000;
const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Target {
  /** Puts `count` callbacks due at dueAt(i); resolves when all are accepted. */
  define(count: number, dueAt: (i: number) => number, address: string): Promise<{ perSecond: number }>;
  stop(): Promise<void>;
}

async function embedded(): Promise<Target> {
  const dir = tempDir('lateness');
  const herald = await new Service('all-in-one', { DATA_DIR: dir, PORT: String(await freePort()) }).start();
  return {
    define: (count, dueAt, address) => postMany(herald.url, count, (i) => ({ dueAt: new Date(dueAt(i)).toISOString(), address })),
    stop: async () => (await herald.stop(), removeDir(dir)),
  };
}

async function fullStack(): Promise<Target> {
  const dir = tempDir('lateness-fs');
  const env = { DATA_DIR: dir, RABBITMQ_URL, RABBITMQ_PREFIX: `herald-bench-${randomUUID().slice(0, 8)}` };
  const command = await new Service('command-api', { ...env, PORT: String(await freePort()) }).start();
  const others = await Promise.all(
    ['scheduler', 'callback-worker', 'query-api'].map(async (app) => new Service(app, { ...env, PORT: String(await freePort()) }).start()),
  );
  return {
    define: (count, dueAt, address) => postMany(command.url, count, (i) => ({ dueAt: new Date(dueAt(i)).toISOString(), address })),
    stop: async () => {
      await Promise.all([command, ...others].map((s) => s.stop()));
      removeDir(dir);
      // What the services declared in the broker goes with them.
      await RabbitMqDelayedDelivery.deletePrefix(RABBITMQ_URL, env.RABBITMQ_PREFIX, DELAY_TOPICS);
    },
  };
}

/** The same workload on BullMQ: delayed jobs whose worker (its own process) POSTs the callback. */
async function bullmq(): Promise<Target> {
  const queueName = `herald-bench-${randomUUID().slice(0, 8)}`;
  const connection = { url: REDIS_URL };
  const queue = new Queue(queueName, { connection });
  let worker: ReturnType<typeof spawn> | null = null;
  return {
    define: async (count, dueAt, address) => {
      worker ??= spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, 'bullmq-worker.ts'), queueName, REDIS_URL], {
        stdio: 'inherit',
        cwd: ROOT,
      });
      const started = Date.now();
      for (let from = 0; from < count; from += 1_000) {
        const jobs = [];
        for (let i = from; i < Math.min(count, from + 1_000); i++) {
          const due = dueAt(i);
          jobs.push({
            name: 'callback',
            data: { reminderId: String(i), dueAt: new Date(due).toISOString(), address },
            opts: { delay: Math.max(0, due - Date.now()), removeOnComplete: true },
          });
        }
        await queue.addBulk(jobs);
      }
      return { perSecond: count / ((Date.now() - started) / 1000) };
    },
    stop: async () => {
      worker?.kill('SIGTERM');
      await queue.obliterate({ force: true });
      await queue.close();
    },
  };
}

const SYSTEMS: Record<System, () => Promise<Target>> = { embedded, 'full-stack': fullStack, bullmq };

/**
 * Lateness: `rate` callbacks a second due uniformly over 10 s, the first 3 s
 * after the last definition is accepted; lateness = receipt − dueAt at a
 * local receiver.
 */
export async function benchLateness(system: System, rate: number, options: { warm?: boolean } = {}) {
  const warm = options.warm ?? process.env.BENCH_WARMUP === '1';
  const count = Math.round((rate * WINDOW_MS) / 1000);
  const receiver = await startReceiver();
  const target = await SYSTEMS[system]();
  try {
    // Due times must be fixed when defining, so leave room for the define phase (measured at ≥ 1,000/s here).
    const start = Date.now() + LEAD_MS + Math.ceil((count / 1_000) * 1000);
    const dueAt = (i: number) => start + Math.floor((i * WINDOW_MS) / count);
    // Warm: one unmeasured second of the same rate ends 1.5 s before the window, so that
    // the window meets JIT-compiled code, open connections and a collected heap.
    if (warm) await target.define(rate, (i) => start - 2_500 + Math.floor((i * 1000) / rate), `${receiver.url}/warm-up`);
    const defined = await target.define(count, dueAt, `${receiver.url}/hook`);
    const slack = start - Date.now();
    await waitFor(
      () => receiver.receipts.length,
      (n) => n >= count,
      WINDOW_MS + Math.max(0, slack) + 60_000,
      `${count} callbacks`,
    ).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 500)); // catch late duplicates
    if (process.env.BENCH_DUMP) writeFileSync(process.env.BENCH_DUMP, JSON.stringify(receiver.receipts));
    const stats = { system, rate, warm, ...latenessStats(receiver.receipts, count), definePerSecond: Math.round(defined.perSecond), leadMs: slack };
    console.log(
      `lateness ${system.padEnd(10)} ${String(rate).padStart(5)}/s${warm ? ' warm' : ''}: p50 ${stats.p50} ms, p99 ${stats.p99} ms, max ${stats.max} ms, ` +
        `received ${stats.received}/${count}, duplicates ${stats.duplicates}, early ${stats.early} (defined at ${stats.definePerSecond}/s, lead ${slack} ms)`,
    );
    return stats;
  } finally {
    await target.stop();
    await receiver.close();
  }
}

if (require.main === module) {
  const [system = 'embedded', ...rates] = process.argv.slice(2);
  void (async () => {
    for (const rate of rates.length ? rates.map(Number) : [100, 1_000, 5_000]) await benchLateness(system as System, rate);
  })();
}
