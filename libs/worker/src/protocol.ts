/**
 * The worker protocol's wire shapes, exactly as Herald speaks them. Clients in
 * other languages code against the same shapes, so these change only with the
 * protocol.
 */

/** `POST /api/v1/workers/leases` */
export interface LeaseRequest {
  workerId: string;
  types: string[];
  /** 1–100, default 1. */
  max?: number;
  /** 0–30000, default 0: how long the server may hold the request open waiting for a task. */
  waitMs?: number;
}

export interface Lease {
  token: string;
  taskId: string;
  type: string;
  params: unknown;
  checkpoint: unknown;
  attempt: number;
  heartbeatTimeoutMs: number;
  expiresAt: string;
  /**
   * W3C trace context of this lease: a span of the trace the task was
   * enqueued in (or retriggered in). Parent the run's spans on it to carry
   * the trace on, or send it as the `traceparent` header of the lease's own
   * calls (heartbeat, complete, fail, release) to file their events under
   * it. Absent from Herald versions before tracing.
   */
  traceparent?: string;
}

export interface LeaseAnswer {
  leases: Lease[];
}

/** `POST /api/v1/workers/leases/:token/heartbeat` */
export interface HeartbeatRequest {
  progress?: unknown;
  checkpoint?: unknown;
}

export interface HeartbeatAnswer {
  expiresAt: string;
  pauseRequested: boolean;
  cancelRequested: boolean;
}

/** `POST /api/v1/workers/leases/:token/complete` */
export interface CompleteRequest {
  result?: unknown;
}

/** `POST /api/v1/workers/leases/:token/fail` */
export interface FailRequest {
  error: string;
  /** Default true. */
  retryable?: boolean;
}

/** `POST /api/v1/workers/leases/:token/release`: back to Queued without using an attempt. */
export interface ReleaseRequest {
  checkpoint?: unknown;
}

/** The body of any non-2xx answer. A lapsed or superseded token answers 409 with `code: 'LeaseLost'`. */
export interface ErrorAnswer {
  statusCode: number;
  code?: string;
  error?: string;
  message?: string;
}

export const LEASE_LOST_CODE = 'LeaseLost';
export const MAX_LEASES_PER_REQUEST = 100;
export const MAX_WAIT_MS = 30_000;

/** One item of `POST /api/v1/workers/reports`: a settle call with its token and outcome in the body. */
export type WorkerReport =
  | ({ token: string; outcome: 'complete' } & CompleteRequest)
  | ({ token: string; outcome: 'fail' } & FailRequest)
  | ({ token: string; outcome: 'release' } & ReleaseRequest);

/** `POST /api/v1/workers/reports`: 1–100 reports. */
export interface ReportsRequest {
  reports: WorkerReport[];
}

/** Per report, in order: recorded, or what its single endpoint would have answered. */
export type ReportResult =
  { token: string; ok: true; taskId: string; status: string } | { token: string; ok: false; statusCode: number; code: string; message: string };

export interface ReportsAnswer {
  results: ReportResult[];
}

export const MAX_REPORTS_PER_REQUEST = 100;
