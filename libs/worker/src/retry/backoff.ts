export interface BackoffOptions {
  /** The ceiling after the first failure. */
  baseMs: number;
  /** No wait is ever longer than this. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 30_000 };

/**
 * The wait before retrying after `failures` consecutive failures (1, 2, …):
 * a ceiling doubling from `baseMs` up to `maxMs`, and a random point in its
 * upper half. The jitter spreads a fleet of workers that lost the server at
 * the same moment; the lower half is cut off so a retry never comes at once.
 */
export function backoffDelay(failures: number, { baseMs, maxMs }: BackoffOptions, random: () => number = Math.random): number {
  const doublings = Math.min(Math.max(failures, 1) - 1, 30); // 2 ** 30 already exceeds any sane cap
  const ceiling = Math.min(maxMs, baseMs * 2 ** doublings);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
