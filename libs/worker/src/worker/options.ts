import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { FetchFn } from '../http/herald-client';
import { consoleLogger, silentLogger, WorkerLogger } from '../logger';
import { MAX_WAIT_MS } from '../protocol';
import { BackoffOptions, DEFAULT_BACKOFF } from '../retry/backoff';
import { SettleReport } from '../task/lease-session';

export interface HeraldWorkerOptions {
  /** Herald's base URL, e.g. `http://herald:3000`. */
  url: string;
  /** An API key with the `work` scope (Herald with HERALD_API_KEYS); sent as `Authorization: Bearer <key>`. */
  apiKey?: string;
  /** Names this process in Herald's records; defaults to `host-pid-random`. */
  workerId?: string;
  /** Most tasks run at once. Default 1. */
  concurrency?: number;
  /** Long-poll wait per lease request, 0–30000. Default 20000. */
  pollWaitMs?: number;
  /** Default: a sixth of each lease's `heartbeatTimeoutMs`. */
  heartbeatIntervalMs?: number;
  /** Longest wait for an answer (a long poll adds its wait). Default 10000. */
  requestTimeoutMs?: number;
  /** Retry waits while Herald is unreachable. Default 500 ms doubling up to 30 s. */
  backoff?: Partial<BackoffOptions>;
  /** Sends every request through this fetch instead of the worker's own keep-alive connection pool (undici). */
  fetch?: FetchFn;
  /** Default: the console; `false` silences the worker. */
  logger?: WorkerLogger | false;
  /** Called once per leased task when its report is answered (or given up): for metrics of what Herald recorded, which middleware cannot see. */
  onSettled?: (report: SettleReport) => void;
}

export type ResolvedOptions = Required<Omit<HeraldWorkerOptions, 'heartbeatIntervalMs' | 'fetch' | 'logger' | 'backoff' | 'onSettled' | 'apiKey'>> &
  Pick<HeraldWorkerOptions, 'heartbeatIntervalMs' | 'fetch' | 'onSettled' | 'apiKey'> & { logger: WorkerLogger; backoff: BackoffOptions };

export function resolveOptions(options: HeraldWorkerOptions): ResolvedOptions {
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  return {
    url: options.url,
    workerId: options.workerId ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`,
    concurrency,
    pollWaitMs: clamp(options.pollWaitMs ?? 20_000, 0, MAX_WAIT_MS),
    heartbeatIntervalMs: options.heartbeatIntervalMs,
    requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    backoff: { ...DEFAULT_BACKOFF, ...options.backoff },
    fetch: options.fetch,
    apiKey: options.apiKey,
    onSettled: options.onSettled,
    logger: options.logger === false ? silentLogger : (options.logger ?? consoleLogger),
  };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}
