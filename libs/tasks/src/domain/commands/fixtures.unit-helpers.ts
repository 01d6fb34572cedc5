import {
  TaskEnqueuedData,
  TaskEvent,
  TaskFailureReason,
  taskAttemptFailed,
  taskCancelRequested,
  taskCancelled,
  taskCompleted,
  taskEnqueued,
  taskFailed,
  taskHeartbeatRecorded,
  taskLeaseLapsed,
  taskLeased,
  taskPauseRequested,
  taskPaused,
  taskReleased,
} from '../events/task-events';
import { TaskStatus } from '../task-state';

export const ID = '5d2c7a10-3e4b-4f6a-9c1d-8e7f6a5b4c31';
export const T0 = new Date('2026-11-23T09:00:00.000Z');
export const at = (ms: number) => new Date(T0.getTime() + ms);
export const iso = (ms: number) => at(ms).toISOString();

export const TOKEN = 'lease-a';
export const OTHER_TOKEN = 'lease-b';
export const WORKER = 'worker-1';
/** The fixtures' heartbeat timeout: a lease taken at t expires at t + 30 s. */
export const TIMEOUT = 30_000;
/** The fixtures' lease is taken at T0 + 1 s. */
export const LEASED_AT = 1_000;

export const enqueued = (overrides: Partial<TaskEnqueuedData> = {}) =>
  taskEnqueued({
    taskId: ID,
    type: 'report.render',
    params: { reportId: 42 },
    owner: 'team-a',
    tags: ['nightly'],
    priority: 0,
    runAt: iso(0),
    maxAttempts: 3,
    heartbeatTimeoutMs: TIMEOUT,
    scheduleId: null,
    scheduledFor: null,
    enqueuedAt: iso(0),
    ...overrides,
  });

export const leased = (attempt = 1, leasedAtMs = LEASED_AT, token = TOKEN) =>
  taskLeased({ taskId: ID, token, workerId: WORKER, attempt, leasedAt: iso(leasedAtMs), expiresAt: iso(leasedAtMs + TIMEOUT) });

export const heartbeat = (atMs: number, extra: { progress?: unknown; checkpoint?: unknown } = {}, token = TOKEN) =>
  taskHeartbeatRecorded({ taskId: ID, token, ...extra, expiresAt: iso(atMs + TIMEOUT), recordedAt: iso(atMs) });

export const pauseRequested = (atMs = 2_000, reason: string | null = 'maintenance') =>
  taskPauseRequested({ taskId: ID, reason, requestedAt: iso(atMs) });

export const cancelRequested = (atMs = 2_000, reason: string | null = 'not needed') =>
  taskCancelRequested({ taskId: ID, reason, requestedAt: iso(atMs) });

export const paused = (atMs = 2_000, checkpoint: unknown = null, reason: string | null = 'maintenance') =>
  taskPaused({ taskId: ID, reason, checkpoint, pausedAt: iso(atMs) });

export const cancelled = (atMs = 2_000, reason: string | null = 'not needed') => taskCancelled({ taskId: ID, reason, cancelledAt: iso(atMs) });

export const completed = (attempt = 1, atMs = 5_000, token = TOKEN) =>
  taskCompleted({ taskId: ID, token, attempt, result: { rows: 7 }, completedAt: iso(atMs) });

export const attemptFailed = (attempt: number, retryAtMs: number | null, atMs = 5_000, token = TOKEN) =>
  taskAttemptFailed({
    taskId: ID,
    token,
    attempt,
    error: 'boom',
    retryAt: retryAtMs === null ? null : iso(retryAtMs),
    failedAt: iso(atMs),
  });

export const failed = (attempts: number, reason: TaskFailureReason = 'not-retryable', atMs = 5_000) =>
  taskFailed({ taskId: ID, attempts, error: reason === 'lease-lapsed' ? 'lease lapsed' : 'boom', reason, failedAt: iso(atMs) });

export const released = (atMs = 5_000, extra: { checkpoint?: unknown } = {}, token = TOKEN) =>
  taskReleased({ taskId: ID, token, ...extra, releasedAt: iso(atMs) });

export const lapsed = (attempt = 1, atMs = LEASED_AT + TIMEOUT, token = TOKEN) =>
  taskLeaseLapsed({ taskId: ID, token, attempt, lapsedAt: iso(atMs) });

/** A lease that lapsed while Pausing: the attempt is not spent. */
export const lapsedUnspent = (attempt = 1, atMs = LEASED_AT + TIMEOUT, token = TOKEN) =>
  taskLeaseLapsed({ taskId: ID, token, attempt, spent: false, lapsedAt: iso(atMs) });

/** A history reaching each status; the leased ones hold lease TOKEN (attempt 1, expiring at T0 + 31 s). */
export const HISTORY: Record<TaskStatus, TaskEvent[]> = {
  Queued: [enqueued()],
  Running: [enqueued(), leased()],
  Pausing: [enqueued(), leased(), pauseRequested()],
  Paused: [enqueued(), paused()],
  Cancelling: [enqueued(), leased(), cancelRequested()],
  Cancelled: [enqueued(), cancelled()],
  Completed: [enqueued(), leased(), completed()],
  Failed: [enqueued(), leased(), attemptFailed(1, null), failed(1)],
};

export const ALL_STATUSES = Object.keys(HISTORY) as TaskStatus[];
export const statusesExcept = (...allowed: TaskStatus[]) => ALL_STATUSES.filter((status) => !allowed.includes(status));
