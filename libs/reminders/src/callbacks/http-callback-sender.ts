import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Agent, request } from 'undici';
import { HeraldConfig } from '@herald/platform';
import { CallbackSigner, withoutWebhookHeaders } from './callback-signature';
import { guardedConnector } from './callback-address-guard';
import { CallbackAddressPolicy } from './callback-address-policy';
import { warmUpHttpClient } from './http-client-warm-up';

export interface CallbackRequest {
  readonly reminderId: string;
  readonly attempt: number;
  readonly dueAt: string;
  readonly address: string;
  readonly payload: unknown;
  readonly headers: Record<string, string>;
  readonly timeoutMs: number;
  /** The attempt's W3C trace context (FireCallbackController), sent as `traceparent`; none sent when absent. */
  readonly traceparent?: string;
}

/** Trace context headers are Herald's to send: a caller's copy, stored before they were reserved, is dropped. */
const TRACE_HEADERS = new Set(['traceparent', 'tracestate']);

export type CallbackOutcome = { ok: true; statusCode: number } | { ok: false; statusCode: number | null; error: string; retryAfterMs: number | null };

const ERROR_BODY_CHARS = 200;

/**
 * POSTs callbacks over pooled keep-alive connections (undici), so thousands
 * a second do not pay a TCP/TLS handshake each. Never throws: every way a
 * callback can go wrong is an outcome to record.
 */
@Injectable()
export class HttpCallbackSender implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly agent: Agent;
  private readonly signer: CallbackSigner;

  constructor(config: HeraldConfig) {
    this.signer = new CallbackSigner(config.CALLBACK_SIGNING_SECRETS);
    this.agent = new Agent({
      connections: config.CALLBACK_CONNECTIONS_PER_ORIGIN,
      keepAliveTimeout: 10_000,
      pipelining: 1,
      // Every connection is checked against the callback address policy, after DNS, to the address checked (SSRF guard).
      connect: guardedConnector(CallbackAddressPolicy.fromConfig(config)),
    });
  }

  async send(callback: CallbackRequest): Promise<CallbackOutcome> {
    const body = JSON.stringify({
      reminderId: callback.reminderId,
      dueAt: callback.dueAt,
      payload: callback.payload,
      attempt: callback.attempt,
    });
    try {
      const response = await request(callback.address, {
        method: 'POST',
        dispatcher: this.agent,
        body,
        headers: {
          ...withoutTraceHeaders(withoutWebhookHeaders(callback.headers)),
          'content-type': 'application/json',
          'herald-reminder-id': callback.reminderId,
          'herald-attempt': String(callback.attempt),
          // The same on every attempt: the receiver's way to drop our at-least-once repeats.
          'idempotency-key': callback.reminderId,
          // Standard Webhooks: webhook-id is the reminder id too; the signatures cover this very `body` string;
          // the timestamp is the wall clock's (not an injected Clock): receivers hold it against theirs.
          ...this.signer.headers(callback.reminderId, body, Date.now()),
          ...(callback.traceparent ? { traceparent: callback.traceparent } : {}),
        },
        signal: AbortSignal.timeout(callback.timeoutMs),
      });
      const { statusCode } = response;
      if (statusCode >= 200 && statusCode < 300) {
        await response.body.dump();
        return { ok: true, statusCode };
      }
      const text = (await response.body.text().catch(() => '')).slice(0, ERROR_BODY_CHARS);
      return {
        ok: false,
        statusCode,
        error: `HTTP ${statusCode}${text ? `: ${text}` : ''}`,
        retryAfterMs: parseRetryAfter(response.headers['retry-after'], Date.now()),
      };
    } catch (error) {
      return { ok: false, statusCode: null, error: describeError(error, callback.timeoutMs), retryAfterMs: null };
    }
  }

  /** See warmUpHttpClient; a failure costs only the first callback's speed, so it is logged and start-up goes on. */
  async onApplicationBootstrap(): Promise<void> {
    await warmUpHttpClient().catch((error: unknown) => new Logger('CallbackWorker').warn(`HTTP client warm-up failed: ${String(error)}`));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.agent.close();
  }
}

/** A caller's headers minus any spelling of `traceparent` and `tracestate` (the same object when there is none: the usual case). */
export function withoutTraceHeaders(headers: Record<string, string>): Record<string, string> {
  const ours = (name: string) => TRACE_HEADERS.has(name.toLowerCase());
  if (!Object.keys(headers).some(ours)) return headers;
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !ours(name)));
}

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | string[] | undefined, now: number): number | null {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return null;
  if (/^\d+$/.test(raw.trim())) return Number(raw.trim()) * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

function describeError(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `timed out after ${timeoutMs} ms`;
  const code = e?.code ?? e?.cause?.code;
  const message = e?.cause?.message ?? e?.message ?? String(error);
  return code ? `${code}: ${message}` : message;
}
