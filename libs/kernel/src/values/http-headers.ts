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
  // Standard Webhooks headers Herald signs callbacks with: a second copy would break verification.
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
  // W3C trace context: Herald sends the callback's own (the trace of the request that defined the reminder).
  'traceparent',
  'tracestate',
]);

export interface HeaderLimits {
  readonly maxHeaders: number;
  readonly maxHeaderValueLength: number;
}

/** Returns why `headers` cannot be sent with an outgoing request Herald makes, or null when they can. */
export function httpHeadersProblem(headers: unknown, limits: HeaderLimits, field = 'headers'): string | null {
  if (headers === undefined) return null;
  if (headers === null || typeof headers !== 'object' || Array.isArray(headers)) {
    return `${field} must be an object mapping header names to string values`;
  }
  const entries = Object.entries(headers);
  if (entries.length > limits.maxHeaders) return `${field} must have at most ${limits.maxHeaders} entries`;
  for (const [name, value] of entries) {
    if (!TOKEN.test(name)) return `${field}.${name} is not a valid HTTP header name`;
    const lower = name.toLowerCase();
    if (RESERVED.has(lower) || lower.startsWith('herald-')) return `${field}.${name} is reserved and set by Herald`;
    if (typeof value !== 'string') return `${field}.${name} must be a string`;
    if (value.length > limits.maxHeaderValueLength) {
      return `${field}.${name} must be at most ${limits.maxHeaderValueLength} characters`;
    }
    if (/[\r\n\0]/.test(value)) return `${field}.${name} must not contain CR, LF or NUL`;
  }
  return null;
}
