import { HeraldHttpError, LeaseLostError } from '../errors';
import {
  CompleteRequest,
  ErrorAnswer,
  FailRequest,
  HeartbeatAnswer,
  HeartbeatRequest,
  Lease,
  LeaseAnswer,
  LeaseRequest,
  LEASE_LOST_CODE,
  ReleaseRequest,
} from '../protocol';

export type FetchFn = typeof fetch;

export interface HeraldClientOptions {
  /** Herald's base URL, e.g. `http://herald:3000`. */
  url: string;
  fetch?: FetchFn;
  /** Longest wait for any answer, on top of a long poll's own `waitMs`. */
  requestTimeoutMs?: number;
}

/** The worker protocol over HTTP: one method per endpoint, non-2xx answers thrown as `HeraldHttpError`. */
export class HeraldClient {
  private readonly base: string;
  private readonly fetch: FetchFn;
  private readonly timeoutMs: number;

  constructor(options: HeraldClientOptions) {
    this.base = `${options.url.replace(/\/+$/, '')}/api/v1/workers/leases`;
    this.fetch = options.fetch ?? globalThis.fetch;
    this.timeoutMs = options.requestTimeoutMs ?? 10_000;
  }

  /** `signal` lets a stopping worker abandon its long poll instead of waiting it out. */
  async lease(request: LeaseRequest, signal?: AbortSignal): Promise<Lease[]> {
    const answer = await this.post<LeaseAnswer>('', request, (request.waitMs ?? 0) + this.timeoutMs, signal);
    return answer.leases;
  }

  heartbeat(token: string, request: HeartbeatRequest): Promise<HeartbeatAnswer> {
    return this.post<HeartbeatAnswer>(this.path(token, 'heartbeat'), request);
  }

  async complete(token: string, request: CompleteRequest): Promise<void> {
    await this.post(this.path(token, 'complete'), request);
  }

  async fail(token: string, request: FailRequest): Promise<void> {
    await this.post(this.path(token, 'fail'), request);
  }

  async release(token: string, request: ReleaseRequest): Promise<void> {
    await this.post(this.path(token, 'release'), request);
  }

  private path(token: string, action: string): string {
    return `/${encodeURIComponent(token)}/${action}`;
  }

  private async post<T>(path: string, body: unknown, timeoutMs = this.timeoutMs, signal?: AbortSignal): Promise<T> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const response = await this.fetch(this.base + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    // Read the body in every case, so the connection goes back to the pool.
    const text = await response.text();
    if (!response.ok) throw toHttpError(response.status, text);
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

function toHttpError(status: number, text: string): HeraldHttpError {
  const body = parseErrorAnswer(text);
  const message = body?.message ?? (text || `HTTP ${status}`);
  if (status === 409 && body?.code === LEASE_LOST_CODE) return new LeaseLostError(status, body.code, message, body);
  return new HeraldHttpError(status, body?.code, message, body);
}

function parseErrorAnswer(text: string): ErrorAnswer | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' ? (parsed as ErrorAnswer) : undefined;
  } catch {
    return undefined; // a proxy's HTML error page, say
  }
}
