import autocannon from 'autocannon';
import { Service, freePort, loadFigures, removeDir, tempDir } from './support';

/**
 * Define rate: POST /api/v1/reminders under load (autocannon, 64 connections,
 * 10 s) against the embedded all-in-one app. Prints requests/s and latency percentiles.
 */
export async function benchDefineRate(durationSeconds = 10, connections = 64) {
  const dir = tempDir('define');
  const herald = await new Service('all-in-one', { DATA_DIR: dir, PORT: String(await freePort()) }).start();
  try {
    const body = JSON.stringify({ seconds: 86_400, address: 'http://127.0.0.1:9/never', payload: { bench: true } });
    const result = await autocannon({
      url: `${herald.url}/api/v1/reminders`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      connections,
      duration: durationSeconds,
    });
    const figures = loadFigures(result, herald);
    console.log(
      `define rate: ${figures.requestsPerSecond} req/s, p50 ${figures.latencyMs.p50} ms, p99 ${figures.latencyMs.p99} ms, max ${figures.latencyMs.max} ms, non-2xx ${figures.non2xx}, RSS ${figures.rssMb} MB`,
    );
    return figures;
  } finally {
    await herald.stop();
    removeDir(dir);
  }
}

if (require.main === module) void benchDefineRate();
