import autocannon from 'autocannon';
import { Service, freePort, loadFigures, mergeResult, removeDir, tempDir } from './support';

/**
 * npm run bench:reads [-- <reminders> <seconds>]: GET /api/v1/reminders/:id
 * under load (autocannon, 64 connections) against the embedded all-in-one
 * app, over ids of reminders defined first (each request a random one).
 * Prints requests/s and latency percentiles. The question it answers (issue
 * 10): does the read-side cache for GET by id pay? `benchReadCache` runs it
 * with the cache (VIEW_CACHE_ENTRIES default) and without (0), alternating.
 */
export async function benchReads(count = 2_000, durationSeconds = 10, connections = 64, env: Record<string, string> = {}) {
  const dir = tempDir('reads');
  const herald = await new Service('all-in-one', { DATA_DIR: dir, PORT: String(await freePort()), ...env }).start();
  try {
    const ids: string[] = [];
    const body = JSON.stringify({ seconds: 86_400, address: 'http://127.0.0.1:9/never', payload: { bench: true, note: 'x'.repeat(200) } });
    for (let i = 0; i < count; i++) {
      const r = await fetch(`${herald.url}/api/v1/reminders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      ids.push(((await r.json()) as { id: string }).id);
    }
    // Every view projected before measuring: the last one defined is readable.
    for (let tries = 0; (await fetch(`${herald.url}/api/v1/reminders/${ids[ids.length - 1]}`)).status !== 200; tries++) {
      if (tries > 500) throw new Error('views not projected');
      await new Promise((r) => setTimeout(r, 10));
    }
    const result = await autocannon({
      url: herald.url,
      connections,
      duration: durationSeconds,
      requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/api/v1/reminders/${ids[Math.floor(Math.random() * ids.length)]}` }) }],
    });
    const figures = { reminders: count, viewCacheEntries: env.VIEW_CACHE_ENTRIES ?? 'default', ...loadFigures(result, herald) };
    console.log(
      `reads by id (VIEW_CACHE_ENTRIES ${figures.viewCacheEntries}): ${figures.requestsPerSecond} req/s, p50 ${figures.latencyMs.p50} ms, p99 ${figures.latencyMs.p99} ms, ` +
        `max ${figures.latencyMs.max} ms, non-2xx ${figures.non2xx}, RSS ${figures.rssMb} MB`,
    );
    return figures;
  } finally {
    await herald.stop();
    removeDir(dir);
  }
}

/** With the cache and without, twice each, alternating (the machine's speed drifts between runs). */
export async function benchReadCache(count = 2_000, durationSeconds = 10) {
  const runs = [];
  for (let round = 0; round < 2; round++) {
    runs.push(await benchReads(count, durationSeconds));
    runs.push(await benchReads(count, durationSeconds, 64, { VIEW_CACHE_ENTRIES: '0' }));
  }
  return runs;
}

if (require.main === module) {
  const [count, seconds] = process.argv.slice(2).map(Number);
  void benchReadCache(count || 2_000, seconds || 10).then((r) => mergeResult('reads', r));
}
