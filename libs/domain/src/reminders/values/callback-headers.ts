import { REMINDER_LIMITS } from './limits';

// RFC 9110 token characters.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Headers Herald owns or that would break the HTTP exchange if a caller set them.
const RESERVED = new Set([
  'host',
  'content-length',
  'content-type',
  'connection',
  'transfer-encoding',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'expect',
  'idempotency-key',
]);

/** Returns why `headers` cannot be sent with a callback, or null when they can. */
export function headersProblem(headers: unknown): string | null {
  if (headers === undefined) return null;
  if (headers === null || typeof headers !== 'object' || Array.isArray(headers)) {
    return 'headers must be an object mapping header names to string values';
  }
  const entries = Object.entries(headers);
  if (entries.length > REMINDER_LIMITS.maxHeaders) return `headers must have at most ${REMINDER_LIMITS.maxHeaders} entries`;
  for (const [name, value] of entries) {
    if (!TOKEN.test(name)) return `headers.${name} is not a valid HTTP header name`;
    const lower = name.toLowerCase();
    if (RESERVED.has(lower) || lower.startsWith('herald-')) return `headers.${name} is reserved and set by Herald`;
    if (typeof value !== 'string') return `headers.${name} must be a string`;
    if (value.length > REMINDER_LIMITS.maxHeaderValueLength) {
      return `headers.${name} must be at most ${REMINDER_LIMITS.maxHeaderValueLength} characters`;
    }
    if (/[\r\n\0]/.test(value)) return `headers.${name} must not contain CR, LF or NUL`;
  }
  return null;
}
