/**
 * Exponential backoff with "equal jitter": half the exponential delay is
 * kept, half is random, so retries spread out (no thundering herd) yet never
 * come back sooner than half the nominal delay. A receiver's Retry-After is a
 * floor, capped so that a misbehaving receiver cannot park a reminder forever.
 */
export interface RetryPolicy {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const RETRY_AFTER_CAP_MS = 24 * 3600 * 1000;

/**
 * @param failedAttempt the 1-based attempt that just failed
 * @param jitter a number in [0, 1), drawn by the caller so this stays pure
 */
export function retryDelayMs(policy: RetryPolicy, failedAttempt: number, jitter: number, retryAfterMs: number | null): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempt - 1));
  const jittered = Math.round(exponential / 2 + (exponential / 2) * jitter);
  const floor = retryAfterMs === null ? 0 : Math.min(Math.max(0, retryAfterMs), RETRY_AFTER_CAP_MS);
  return Math.max(jittered, floor);
}
