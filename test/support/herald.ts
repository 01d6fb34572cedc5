import { INestApplication } from '@nestjs/common';
import type { Database } from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listen, loadConfig } from '@herald/platform';
import { SQLITE, heraldService, startService } from '@herald/runtime';
import { ALL_IN_ONE } from '../../apps/all-in-one/src/main';

export interface RunningHerald {
  url: string;
  app: INestApplication;
  dataDir: string;
  /** Events in the log, read straight from the SQLite file. */
  eventCount(): number;
  /** The events of one stream, read straight from the SQLite file (lease tokens unredacted). */
  streamEvents(stream: string): { type: string; data: Record<string, unknown> }[];
  close(): Promise<void>;
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'herald-e2e-'));
}

/** The all-in-one app, in this process, on a random port and a fresh data dir. */
export async function startHerald(env: Record<string, string> = {}, dataDir = tempDataDir()): Promise<RunningHerald> {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', LOG_REQUESTS: 'false', ...env });
  const app = await startService(heraldService('all-in-one', ALL_IN_ONE, config), config);
  const url = (await listen(app, config)).replace('[::1]', '127.0.0.1');
  const db = app.get<{ get(): Database }>(SQLITE).get();
  return {
    url,
    app,
    dataDir,
    eventCount: () => (db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n,
    streamEvents: (stream) =>
      (db.prepare('SELECT type, data FROM events WHERE stream = ? ORDER BY revision').all(stream) as { type: string; data: string }[]).map((r) => ({
        type: r.type,
        data: JSON.parse(r.data) as Record<string, unknown>,
      })),
    close: async () => {
      await app.close();
    },
  };
}

export function removeDataDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** fetch + JSON, keeping status and headers. */
export async function call(url: string, init: RequestInit & { json?: unknown } = {}) {
  const { json, ...rest } = init;
  const response = await fetch(url, {
    ...rest,
    headers: { ...(json !== undefined ? { 'content-type': 'application/json' } : {}), ...(rest.headers ?? {}) },
    body: json !== undefined ? JSON.stringify(json) : rest.body,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}
