import { writeFileSync } from 'node:fs';
import { Service, freePort, latenessStats, mergeResult, postMany, removeDir, startReceiver, tempDir, waitFor } from './support';

/**
 * npm run bench:schedules [-- <schedules> <minutes>]: N active schedules on
 * the embedded default, each firing once a minute at its own second
 * (`<i mod 60> * * * * *`, so N/60 callbacks every second), measured over
 * whole minutes after every schedule has fired once: callback lateness
 * (receipt − the occurrence's time) and the all-in-one process's resident
 * memory. Targets (issue 9): p99 ≤ 50 ms and ≤ 512 MB at 10,000 schedules.
 */
export async function benchSchedules(count = 10_000, minutes = 2) {
  const dir = tempDir('schedules');
  const receiver = await startReceiver();
  const herald = await new Service('all-in-one', { DATA_DIR: dir, PORT: String(await freePort()) }).start();
  try {
    const created = await postMany(
      herald.url,
      count,
      (i) => ({ cron: `${i % 60} * * * * *`, target: { reminder: { address: `${receiver.url}/s` } } }),
      32,
      '/api/v1/schedules',
    );
    if (created.failed > 0) throw new Error(`${created.failed} schedules refused`);
    // Measure whole minutes that start after every schedule's first occurrence has come.
    const from = Math.ceil((Date.now() + 61_000) / 60_000) * 60_000;
    const until = from + minutes * 60_000;
    await waitFor(
      () => Date.now(),
      (now) => now >= until + 5_000,
      until - Date.now() + 30_000,
      'the measured minutes',
    );
    const inWindow = receiver.receipts.filter((r) => r.dueAt >= from && r.dueAt < until);
    // BENCH_DUMP=<file>: every receipt of the measured minutes, for a look at the shape of each second's burst.
    if (process.env.BENCH_DUMP) writeFileSync(process.env.BENCH_DUMP, JSON.stringify(inWindow));
    const stats = latenessStats(inWindow, count * minutes);
    const result = { schedules: count, minutes, createdPerSecond: Math.round(created.perSecond), ...stats, rssMb: Math.round(herald.rssMb()) };
    console.log(
      `schedules ${count} × ${minutes} min: lateness p50 ${stats.p50} ms, p99 ${stats.p99} ms, max ${stats.max} ms, ` +
        `received ${stats.received}/${stats.expected}, duplicates ${stats.duplicates}, early ${stats.early}; ` +
        `RSS ${result.rssMb} MB; created at ${result.createdPerSecond}/s`,
    );
    return result;
  } finally {
    await herald.stop();
    await receiver.close();
    removeDir(dir);
  }
}

if (require.main === module) {
  const [count, minutes] = process.argv.slice(2).map(Number);
  void benchSchedules(count || 10_000, minutes || 2).then((r) => mergeResult('schedules', r));
}
