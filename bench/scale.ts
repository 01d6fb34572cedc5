import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, Service, freePort, latenessStats, postMany, removeDir, startReceiver, tempDir, waitFor } from './support';

const DAY = 24 * 3600 * 1000;

/** 1,000 callbacks due over 5 s starting 2 s out: the lateness of a small batch against a loaded store. */
async function probe(herald: Service) {
  const receiver = await startReceiver();
  try {
    const count = 1_000;
    const start = Date.now() + 2_000;
    await postMany(herald.url, count, (i) => ({ dueAt: new Date(start + i * 5).toISOString(), address: `${receiver.url}/probe` }));
    await waitFor(
      () => receiver.receipts.length,
      (n) => n >= count,
      30_000,
      'probe callbacks',
    ).catch(() => undefined);
    return latenessStats(receiver.receipts, count);
  } finally {
    await receiver.close();
  }
}

/**
 * Scale: `pending` reminders due over the next 30 days (they never fire
 * during the run), then a probe batch; RSS sampled throughout; finally a
 * read-model rebuild from position 0 with `npm run replay`.
 */
export async function benchScale(pending = 1_000_000) {
  const dir = tempDir('scale');
  const herald = await new Service('all-in-one', { DATA_DIR: dir, PORT: String(await freePort()) }).start();
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, herald.rssMb())), 1_000);
  try {
    const before = await probe(herald);
    const start = Date.now() + DAY;
    const defined = await postMany(
      herald.url,
      pending,
      (i) => ({ dueAt: new Date(start + Math.floor((i * 29 * DAY) / pending)).toISOString(), address: 'http://127.0.0.1:9/later' }),
      64,
    );
    const after = await probe(herald);
    const rssAfter = Math.round(herald.rssMb());
    clearInterval(sampler);
    await herald.stop();
    const replayOutput = execFileSync(process.execPath, [join(ROOT, 'dist', 'apps', 'query-api', 'src', 'replay.js')], {
      env: { ...process.env, DATA_DIR: dir },
      encoding: 'utf8',
    });
    const replay = /from (\d+) events in ([\d.]+) s \((\d+) events\/s\)/.exec(replayOutput);
    const result = {
      pending,
      defineSeconds: Math.round(defined.seconds),
      definePerSecond: Math.round(defined.perSecond),
      failed: defined.failed,
      rssMb: { peak: Math.round(peakRss), afterDefine: rssAfter },
      probeBefore: before,
      probeAfter: after,
      replay: replay ? { events: Number(replay[1]), seconds: Number(replay[2]), eventsPerSecond: Number(replay[3]) } : replayOutput.trim(),
    };
    console.log(
      `scale: ${pending} pending defined in ${result.defineSeconds} s (${result.definePerSecond}/s, ${defined.failed} failed); ` +
        `RSS peak ${result.rssMb.peak} MB, after ${rssAfter} MB; probe p50/p99/max before ${before.p50}/${before.p99}/${before.max} ms, ` +
        `after ${after.p50}/${after.p99}/${after.max} ms; replay ${replay ? `${replay[3]} events/s (${replay[1]} events)` : replayOutput.trim()}`,
    );
    return result;
  } finally {
    clearInterval(sampler);
    await herald.stop();
    removeDir(dir);
  }
}

if (require.main === module) void benchScale(Number(process.argv[2] ?? 1_000_000));
