import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { benchDefineRate } from './define-rate';
import { System, benchLateness } from './lateness';
import { benchRabbitDelay } from './rabbitmq-delay';
import { benchReadCache } from './reads';
import { benchScale } from './scale';
import { benchSchedules } from './schedules';
import { ROOT } from './support';
import { benchTasks } from './tasks';

/**
 * npm run bench: every figure of docs/BENCHMARKS.md in one run, Herald and
 * BullMQ side by side on the same machine. Results go to bench/results/latest.json;
 * `python3 bench/plot.py` draws docs/benchmarks.png from them.
 * BENCH_PENDING overrides the 1,000,000 pending of the scale run. The task
 * benchmark (bench/tasks.ts) runs between the RabbitMQ delay path and the define rate.
 */
async function main() {
  const results: Record<string, unknown> = { machine: { cpus: cpus().length, node: process.version }, at: new Date().toISOString() };
  const lateness = [];
  for (const rate of [100, 1_000, 5_000]) {
    for (const system of ['embedded', 'full-stack', 'bullmq'] as System[]) lateness.push(await benchLateness(system, rate));
  }
  // The same 5,000/s window after one unmeasured second of load: what a service already under load sees.
  for (const system of ['embedded', 'full-stack', 'bullmq'] as System[]) lateness.push(await benchLateness(system, 5_000, { warm: true }));
  results.lateness = lateness;
  results.rabbitmqDelayPath = [await benchRabbitDelay(100), await benchRabbitDelay(1_000)];
  // Tasks: pickup latency and no-op throughput, Herald embedded and full stack, BullMQ and pg-boss (needs the local PostgreSQL too).
  results.tasks = await benchTasks();
  results.define = await benchDefineRate();
  // GET by id with the read-side cache and without: the cache stays only while this shows a gain.
  results.reads = await benchReadCache();
  results.scale = await benchScale(Number(process.env.BENCH_PENDING ?? 1_000_000));
  // Schedules: 10,000 firing every minute, each at its own second, on the embedded default.
  results.schedules = await benchSchedules();
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), JSON.stringify(results, null, 2));
  console.log(`results written to bench/results/latest.json`);
}

void main();
