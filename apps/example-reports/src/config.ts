/** The example app's whole configuration: where Herald is, its own port, and which half it runs. */
export interface ReportsConfig {
  readonly heraldUrl: string;
  /** HERALD_API_KEY: a key with read and write (the API half) or work (the worker half) when Herald has keys. */
  readonly heraldApiKey?: string;
  readonly port: number;
  /** `api` (default): the HTTP API that enqueues reports. `worker`: the process that builds them. */
  readonly mode: 'api' | 'worker';
  readonly concurrency: number;
  readonly workerId?: string;
}

export function reportsConfig(env: NodeJS.ProcessEnv = process.env): ReportsConfig {
  const mode = env.APP_ENV ?? 'api';
  if (mode !== 'api' && mode !== 'worker') throw new Error(`APP_ENV must be api or worker, not ${JSON.stringify(mode)}`);
  return {
    heraldUrl: env.HERALD_URL ?? 'http://127.0.0.1:3000',
    heraldApiKey: env.HERALD_API_KEY || undefined,
    port: Number(env.PORT ?? 4000),
    mode,
    concurrency: Number(env.WORKER_CONCURRENCY ?? 4),
    workerId: env.WORKER_ID,
  };
}

/** The task type both halves agree on. */
export const REPORT_EXPORT = 'report.export';

export interface ReportParams {
  readonly month: string;
  readonly pages: number;
  /** Simulated work per page. */
  readonly pageMs?: number;
  /** Every attempt fails (retryably) while this file exists: lets a demo show retries, Failed and a retrigger. */
  readonly failWhileFileExists?: string;
}

export interface ReportResult {
  readonly url: string;
  /** The page this run started from: more than 0 when it resumed from a checkpoint. */
  readonly firstPage: number;
  readonly builtBy: string;
}
