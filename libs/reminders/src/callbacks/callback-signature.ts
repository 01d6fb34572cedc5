import { createHmac } from 'node:crypto';
import { SIGNING_SECRET_PREFIX } from '@herald/platform';

/** The headers of the Standard Webhooks spec (standardwebhooks.com), lower-case as Herald sends them. */
export const WEBHOOK_HEADERS = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const;

/** The HMAC key of a `whsec_<base64>` secret: the bytes its base64 part encodes (the config has checked the form). */
export function signingKey(secret: string): Buffer {
  return Buffer.from(secret.slice(SIGNING_SECRET_PREFIX.length), 'base64');
}

/** `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`: the spec's symmetric signature. */
export function signature(key: Buffer, id: string, timestampSeconds: number, body: string): string {
  return `v1,${createHmac('sha256', key).update(`${id}.${timestampSeconds}.`).update(body, 'utf8').digest('base64')}`;
}

/**
 * Signs callbacks with every configured secret. The keys live in an ES
 * private field so that inspecting or logging the signer shows none of them.
 */
export class CallbackSigner {
  readonly #keys: readonly Buffer[];

  constructor(secrets: readonly string[]) {
    this.#keys = secrets.map(signingKey);
  }

  /**
   * `webhook-id` (stable across attempts: the receiver's dedup key) and
   * `webhook-timestamp` (this attempt's, seconds) always; `webhook-signature`,
   * one space-separated `v1,` entry per secret so receivers can rotate keys,
   * only when secrets are configured. `body` must be exactly what is sent.
   */
  headers(id: string, body: string, nowMs: number): Record<string, string> {
    const timestamp = Math.floor(nowMs / 1000);
    const headers: Record<string, string> = { 'webhook-id': id, 'webhook-timestamp': String(timestamp) };
    if (this.#keys.length > 0) headers['webhook-signature'] = this.#keys.map((key) => signature(key, id, timestamp, body)).join(' ');
    return headers;
  }
}

/**
 * A caller's headers minus any spelling of the webhook ones: a `Webhook-Id`
 * stored before those names were reserved would otherwise travel next to
 * Herald's own and break verification at the receiver.
 */
export function withoutWebhookHeaders(headers: Record<string, string>): Record<string, string> {
  const ours = new Set<string>(WEBHOOK_HEADERS);
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !ours.has(name.toLowerCase())));
}
