import { ClientRequest, IncomingMessage, request } from 'node:http';
import { Pool } from 'undici';
import { Service, freePort, percentile, removeDir, tempDir, waitFor } from './support';

/**
 * The live feed under load: `idle` feed clients that match nothing of the
 * load (what a dashboard watching another resource costs) and `observers`
 * that receive every event, while reminders are defined at `rate` a second
 * for `seconds`. Figures: memory per idle client (the server's RSS before
 * and after they connect), and event-to-client latency at the observers
 * (receipt minus the event's recordedAt; one machine, one clock), with
 * every event accounted for (none missing, none twice).
 *
 * npm run bench:feed -- [idle=1000] [observers=10] [rate=1000] [seconds=20]
 */
export async function benchFeed(idle = 1_000, observers = 10, rate = 1_000, seconds = 20) {
  const dir = tempDir('feed');
  const herald = await new Service('all-in-one', { DATA_DIR: dir, PORT: String(await freePort()) }).start();
  const clients: FeedClient[] = [];
  try {
    await postSome(herald.url, 200); // warm-up: JIT, the hub's subscription
    const warm = await connect(herald.url, '?category=reminder');
    await waitFor(() => warm.connected, Boolean, 10_000, 'a first feed');
    warm.close();
    await settle();
    const rssBefore = herald.rssMb();
    for (let i = 0; i < idle; i++) clients.push(await connect(herald.url, '?category=task'));
    await waitFor(
      () => clients.filter((c) => c.connected).length,
      (n) => n === idle,
      30_000,
      `${idle} idle feeds`,
    );
    await settle();
    const rssIdle = herald.rssMb();
    const perIdleKb = idle > 0 ? ((rssIdle - rssBefore) * 1024) / idle : 0;

    const watching = await Promise.all(Array.from({ length: observers }, () => connect(herald.url, '?category=reminder')));
    clients.push(...watching);
    await waitFor(() => watching.every((c) => c.connected), Boolean, 10_000, 'observers');
    const sent = await paced(herald.url, rate, seconds);
    await waitFor(() => watching.every((c) => c.received >= sent), Boolean, 60_000, 'every event at every observer').catch(() => undefined);
    const latencies = watching.flatMap((c) => c.latencies).sort((a, b) => a - b);
    const figures = {
      idleClients: idle,
      observers,
      rate,
      seconds,
      sent,
      delivered: watching.map((c) => c.received),
      duplicates: watching.reduce((n, c) => n + c.duplicates, 0),
      latencyMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies[latencies.length - 1] },
      rssMb: { before: round(rssBefore), withIdle: round(rssIdle), end: round(herald.rssMb()) },
      perIdleClientKb: round(perIdleKb),
    };
    console.log(
      `feed: ${idle} idle + ${observers} observing, ${rate}/s for ${seconds} s: latency p50 ${figures.latencyMs.p50} ms, p99 ${figures.latencyMs.p99} ms, max ${figures.latencyMs.max} ms; ` +
        `delivered ${Math.min(...figures.delivered)}–${Math.max(...figures.delivered)} of ${sent}, duplicates ${figures.duplicates}; ` +
        `RSS ${figures.rssMb.before} → ${figures.rssMb.withIdle} MB with the idle clients (${figures.perIdleClientKb} KB each), ${figures.rssMb.end} MB at the end`,
    );
    return figures;
  } finally {
    clients.forEach((c) => c.close());
    await herald.stop();
    removeDir(dir);
  }
}

const round = (n: number) => Math.round(n * 10) / 10;
const settle = async () => {
  await new Promise((r) => setTimeout(r, 2_000));
};

interface FeedClient {
  connected: boolean;
  received: number;
  duplicates: number;
  latencies: number[];
  close(): void;
}

/** One SSE connection of its own (no agent: a socket each, as separate clients have). */
function connect(baseUrl: string, query: string): Promise<FeedClient> {
  return new Promise((resolve, reject) => {
    const seen = new Set<string>();
    const client: FeedClient = { connected: false, received: 0, duplicates: 0, latencies: [], close: () => req.destroy() };
    const req: ClientRequest = request(`${baseUrl}/api/v1/stream${query}`, { agent: false }, (res: IncomingMessage) => {
      if (res.statusCode !== 200) return reject(new Error(`feed answered ${res.statusCode}`));
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk: string) => {
        const at = Date.now();
        client.connected = true;
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = /^data: (.*)$/m.exec(block);
          const id = /^id: (.*)$/m.exec(block);
          if (!data || !id) continue;
          if (seen.has(id[1])) client.duplicates++;
          seen.add(id[1]);
          client.received++;
          client.latencies.push(at - Date.parse((JSON.parse(data[1]) as { recordedAt: string }).recordedAt));
        }
      });
      resolve(client);
    });
    req.on('error', (error) => (client.connected ? undefined : reject(error)));
    req.end();
  });
}

const BODY = JSON.stringify({ seconds: 86_400, address: 'http://127.0.0.1:9/never', payload: { bench: true } });

async function postSome(baseUrl: string, count: number) {
  const pool = new Pool(baseUrl, { connections: 8 });
  await Promise.all(Array.from({ length: count }, () => post(pool)));
  await pool.close();
}

async function post(pool: Pool): Promise<boolean> {
  const res = await pool.request({ path: '/api/v1/reminders', method: 'POST', headers: { 'content-type': 'application/json' }, body: BODY });
  await res.body.dump();
  return res.statusCode === 201;
}

/** Defines reminders at `rate` a second (a batch every 10 ms) for `seconds`; the number defined. */
async function paced(baseUrl: string, rate: number, seconds: number): Promise<number> {
  const pool = new Pool(baseUrl, { connections: 32 });
  const started = Date.now();
  const inFlight: Promise<boolean>[] = [];
  let issued = 0;
  while (Date.now() - started < seconds * 1_000) {
    const due = Math.floor(((Date.now() - started) / 1_000) * rate);
    for (; issued < due; issued++) inFlight.push(post(pool));
    await new Promise((r) => setTimeout(r, 10));
  }
  const ok = (await Promise.all(inFlight)).filter(Boolean).length;
  await pool.close();
  return ok;
}

if (require.main === module) {
  const [idle, observers, rate, seconds] = process.argv.slice(2).map((a) => (a === undefined ? undefined : Number(a)));
  void benchFeed(idle, observers, rate, seconds);
}
