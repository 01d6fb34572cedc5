/** Hard limits of the task model. Operational limits (params, progress and checkpoint bytes) live in config. */
export const TASK_LIMITS = {
  maxTypeLength: 100,
  maxOwnerLength: 200,
  maxTags: 20,
  maxTagLength: 100,
  minPriority: 0,
  maxPriority: 9,
  minAttempts: 1,
  maxAttempts: 50,
  minHeartbeatTimeoutMs: 1_000,
  maxHeartbeatTimeoutMs: 10 * 60 * 1000,
  /** A start beyond this is a mistake, not a plan (10 years). */
  maxDelayMs: 10 * 365 * 24 * 3600 * 1000,
  /** runAt may lie this far in the past (clock skew, replays): the task is then due at once. */
  maxPastMs: 24 * 3600 * 1000,
  maxReasonLength: 1_000,
  /** Longer errors are cut, not refused: a failing worker must always be able to report. */
  maxErrorLength: 2_000,
  maxWorkerIdLength: 200,
} as const;

/**
 * A heartbeat's progress is recorded at most once per this interval; changes in
 * between are coalesced (the next recorded heartbeat carries the newest value).
 */
export const PROGRESS_COALESCE_MS = 1_000;
