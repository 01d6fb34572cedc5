/** Hard limits of the reminder model. Operational limits (payload bytes) live in config. */
export const REMINDER_LIMITS = {
  /** A delay beyond this is a mistake, not a plan (10 years). */
  maxDelayMs: 10 * 365 * 24 * 3600 * 1000,
  /** dueAt may lie this far in the past (clock skew, replays): it then fires at once. */
  maxPastMs: 24 * 3600 * 1000,
  minAttempts: 1,
  maxAttempts: 50,
  minTimeoutMs: 100,
  maxTimeoutMs: 5 * 60 * 1000,
  maxHeaders: 32,
  maxHeaderValueLength: 4096,
  maxAddressLength: 2048,
} as const;
