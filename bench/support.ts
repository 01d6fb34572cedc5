import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo, createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';

export const ROOT = join(__dirname, '..');

export async function freePort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export const tempDir = (name: string) => mkdtempSync(join(tmpdir(), `herald-bench-${name}-`));
export const removeDir = (dir: string) => rmSync(dir, { recursive: true, force: true });

/** Every topic a full stack may declare queues for: a bench deletes them all under its prefix when it stops. */
export const DELAY_TOPICS = ['callbacks', 'task-starts', 'task-leases', 'schedule-occurrences'];

export async function waitFor<T>(probe: () => Promise<T> | T, ok: (v: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const v = await probe();
      if (ok(v)) return v;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A built Herald app as its own process (npm run build first). */
export class Service {
  child: ChildProcess | null = null;
  constructor(
    readonly app: string,
    readonly env: Record<string, string>,
  ) {}
  get url() {
    return `http://127.0.0.1:${this.env.PORT}`;
  }
  async start(): Promise<this> {
    // BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the services under load.
    const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
    this.child = spawn(process.execPath, [...nodeArgs, join(ROOT, 'dist', 'apps', this.app, 'src', 'main.js')], {
      env: { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'warn', LOG_REQUESTS: 'false', ...this.env },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await waitFor(
      () => fetch(`${this.url}/health`).then((r) => r.status),
      (s) => s === 200,
      30_000,
      `${this.app} healthy`,
    );
    return this;
  }
  /** Resident set size in MB, from /proc. */
  rssMb(): number {
    const status = readFileSync(`/proc/${this.child!.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
  }
  async stop(): Promise<void> {
    // A child ended by a signal has signalCode set and exitCode null.
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) return;
    const gone = new Promise((r) => this.child!.once('exit', r));
    this.child.kill('SIGTERM');
    await gone;
  }
}

export interface Receipt {
  at: number;
  dueAt: number;
  key: string;
}

/** The callback receiver: records receipt time against the dueAt in the body. */
export async function startReceiver(): Promise<{ url: string; receipts: Receipt[]; close(): Promise<void> }> {
  const receipts: Receipt[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = Date.now();
      const body = JSON.parse(Buffer.concat(chunks).toString()) as { dueAt: string; reminderId: string };
      if (req.url === '/warm-up') return void res.writeHead(204).end();
      receipts.push({ at, dueAt: Date.parse(body.dueAt), key: String(req.headers['idempotency-key'] ?? body.reminderId) });
      res.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    receipts,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

/** POSTs `count` bodies to `path` (201 expected) with `concurrency` requests in flight over keep-alive; returns rate and elapsed. */
export async function postMany(baseUrl: string, count: number, body: (i: number) => unknown, concurrency = 64, path = '/api/v1/reminders') {
  const pool = new Pool(baseUrl, { connections: concurrency, pipelining: 1 });
  const started = Date.now();
  let next = 0;
  let failed = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const res = await pool.request({
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body(i)),
      });
      await res.body.dump();
      if (res.statusCode !== 201) failed++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  await pool.close();
  const seconds = (Date.now() - started) / 1000;
  return { seconds, perSecond: count / seconds, failed };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function latenessStats(receipts: Receipt[], expected: number) {
  const firsts = new Map<string, Receipt>();
  for (const r of receipts) if (!firsts.has(r.key)) firsts.set(r.key, r);
  const lateness = [...firsts.values()].map((r) => r.at - r.dueAt).sort((a, b) => a - b);
  return {
    expected,
    received: firsts.size,
    duplicates: receipts.length - firsts.size,
    p50: percentile(lateness, 50),
    p99: percentile(lateness, 99),
    max: lateness[lateness.length - 1] ?? NaN,
    early: lateness.filter((l) => l < 0).length,
  };
}

/** Merges `value` into bench/results/latest.json under `key`, keeping every other key. */
export function mergeResult(key: string, value: unknown, file = join(ROOT, 'bench', 'results', 'latest.json')): void {
  const current = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  writeFileSync(file, JSON.stringify({ ...current, [key]: value }, null, 2));
  console.log(`results merged into ${file} under "${key}"`);
}

/** What an autocannon run against a Herald service comes to: rate, failures, latency and the service's memory. */
export function loadFigures(
  result: { requests: { average: number }; non2xx: number; errors: number; latency: { p50: number; p99: number; max: number } },
  service: { rssMb(): number },
) {
  return {
    requestsPerSecond: Math.round(result.requests.average),
    non2xx: result.non2xx,
    errors: result.errors,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    rssMb: Math.round(service.rssMb()),
  };
}
