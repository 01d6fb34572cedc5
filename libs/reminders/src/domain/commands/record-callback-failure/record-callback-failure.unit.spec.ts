import { deciderSpecification } from '@herald/testing';
import { callbackAttemptFailed, reminderFailed } from '../../events/reminder-events';
import { reminderDecider } from '../../reminder-decider';
import { RecordCallbackFailure } from './record-callback-failure';
import { ID, at, defined } from '../fixtures.unit-helpers';

const spec = deciderSpecification(reminderDecider);
const NOW = at(30_010);
const failure = (attempt: number, overrides: Partial<RecordCallbackFailure> = {}): RecordCallbackFailure => ({
  type: 'RecordCallbackFailure',
  reminderId: ID,
  attempt,
  error: 'HTTP 503',
  statusCode: 503,
  retryAfterMs: null,
  retryPolicy: { baseDelayMs: 1_000, maxDelayMs: 60_000 },
  jitter: 0.5,
  now: NOW,
  ...overrides,
});
const failedEvent = (attempt: number, nextAttemptAt: Date | null) =>
  callbackAttemptFailed({
    reminderId: ID,
    attempt,
    error: 'HTTP 503',
    statusCode: 503,
    failedAt: NOW.toISOString(),
    nextAttemptAt: nextAttemptAt?.toISOString() ?? null,
  });

describe('RecordCallbackFailure', () => {
  it('schedules the next attempt with exponential backoff and jitter', () => {
    // attempt 1 failed: nominal 1 s, equal jitter 0.5 → 500 + 250 ms
    spec
      .given([defined()])
      .when(failure(1))
      .then([failedEvent(1, at(30_010 + 750))]);
  });

  it('doubles the delay for each failed attempt', () => {
    // attempt 2 failed: nominal 2 s, jitter 0 → 1 s
    spec
      .given([defined(), failedEvent(1, at(31_000))])
      .when(failure(2, { jitter: 0 }))
      .then([failedEvent(2, at(30_010 + 1_000))]);
  });

  it("waits at least the receiver's Retry-After", () => {
    spec
      .given([defined()])
      .when(failure(1, { retryAfterMs: 120_000 }))
      .then([failedEvent(1, at(30_010 + 120_000))]);
  });

  it('fails the reminder with the last error after maxAttempts', () => {
    spec
      .given([defined(), failedEvent(1, at(31_000)), failedEvent(2, at(33_000))])
      .when(failure(3))
      .then([failedEvent(3, null), reminderFailed({ reminderId: ID, attempts: 3, lastError: 'HTTP 503', failedAt: NOW.toISOString() })]);
  });

  it('fails at once when maxAttempts is 1', () => {
    spec
      .given([defined({ maxAttempts: 1 })])
      .when(failure(1))
      .then([failedEvent(1, null), reminderFailed({ reminderId: ID, attempts: 1, lastError: 'HTTP 503', failedAt: NOW.toISOString() })]);
  });

  it('rejects a stale attempt', () => {
    spec
      .given([defined(), failedEvent(1, at(31_000))])
      .when(failure(1))
      .thenThrows({ code: 'StaleCallbackAttempt' });
  });
});
