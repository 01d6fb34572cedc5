import {
  ReminderDefinedData,
  ReminderEvent,
  callbackAttemptFailed,
  reminderCancelled,
  reminderCompleted,
  reminderDefined,
  reminderFailed,
} from '../events/reminder-events';
import { ReminderStatus } from '../reminder-state';

export const ID = '0b6f1c64-7f7b-4c59-9d3a-2f0f7d1d2a11';
export const T0 = new Date('2026-11-23T09:00:00.000Z');
export const at = (ms: number) => new Date(T0.getTime() + ms);
export const iso = (ms: number) => at(ms).toISOString();

export const defined = (overrides: Partial<ReminderDefinedData> = {}) =>
  reminderDefined({
    reminderId: ID,
    dueAt: at(30_000).toISOString(),
    address: 'https://example.com/hook',
    payload: { hello: 'world' },
    headers: {},
    maxAttempts: 3,
    timeoutMs: 5_000,
    definedAt: T0.toISOString(),
    ...overrides,
  });

/** Attempt `attempt` failed at `failedMs` with HTTP 500; the next one is due at `nextMs` (null: it was the last). */
export const attemptFailed = (attempt: number, failedMs: number, nextMs: number | null) =>
  callbackAttemptFailed({
    reminderId: ID,
    attempt,
    error: 'HTTP 500',
    statusCode: 500,
    failedAt: iso(failedMs),
    nextAttemptAt: nextMs === null ? null : iso(nextMs),
  });

/** A reminder (maxAttempts 3, due at +30 s) in each status, by the shortest history that gets it there. */
export const HISTORY: Record<ReminderStatus, ReminderEvent[]> = {
  Active: [defined()],
  Completed: [defined(), reminderCompleted({ reminderId: ID, attempt: 1, statusCode: 204, completedAt: iso(30_001) })],
  Failed: [
    defined(),
    attemptFailed(1, 30_010, 31_000),
    attemptFailed(2, 31_010, 33_000),
    attemptFailed(3, 33_010, null),
    reminderFailed({ reminderId: ID, attempts: 3, lastError: 'HTTP 500', failedAt: iso(33_010) }),
  ],
  Cancelled: [defined(), reminderCancelled({ reminderId: ID, cancelledAt: iso(1_000) })],
};
