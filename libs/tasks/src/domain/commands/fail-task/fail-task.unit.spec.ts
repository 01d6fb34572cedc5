import { deciderSpecification } from '@herald/testing';
import { taskAttemptFailed, taskCancelled, taskFailed, taskPaused } from '../../events/task-events';
import { taskDecider } from '../../task-decider';
import { TASK_LIMITS } from '../../values/limits';
import { FailTask } from './fail-task';
import {
  HISTORY,
  ID,
  OTHER_TOKEN,
  TOKEN,
  at,
  attemptFailed,
  enqueued,
  heartbeat,
  iso,
  lapsed,
  leased,
  pauseRequested,
  statusesExcept,
} from '../fixtures.unit-helpers';

const spec = deciderSpecification(taskDecider);
const NOW = 20_000;
const fail = (overrides: Partial<FailTask> = {}): FailTask => ({
  type: 'FailTask',
  taskId: ID,
  token: TOKEN,
  error: 'HTTP 503 from upstream',
  retryable: true,
  retryPolicy: { baseDelayMs: 1_000, maxDelayMs: 60_000 },
  jitter: 0.5,
  now: at(NOW),
  ...overrides,
});
const failedAttempt = (attempt: number, retryAt: number | null, token = TOKEN, error = 'HTTP 503 from upstream') =>
  taskAttemptFailed({ taskId: ID, token, attempt, error, retryAt: retryAt === null ? null : iso(retryAt), failedAt: iso(NOW) });
const taskFailedEvent = (attempts: number, reason: 'attempts-exhausted' | 'not-retryable', error = 'HTTP 503 from upstream') =>
  taskFailed({ taskId: ID, attempts, error, reason, failedAt: iso(NOW) });
/** Attempt 3 of 3 running, under lease OTHER_TOKEN. */
const lastAttempt = [enqueued(), leased(1), attemptFailed(1, 6_000), leased(2, 6_000), attemptFailed(2, 9_000), leased(3, 9_000, OTHER_TOKEN)];

describe('FailTask', () => {
  describe('with attempts left', () => {
    it('queues a retry after exponential backoff with equal jitter', () => {
      // attempt 1 failed: nominal 1 s, jitter 0.5 → 500 + 250 ms
      spec
        .given(HISTORY.Running)
        .when(fail())
        .then([failedAttempt(1, NOW + 750)]);
    });

    it('doubles the nominal delay for the second attempt', () => {
      // attempt 2 failed: nominal 2 s, jitter 0 → 1 s
      spec
        .given([enqueued(), leased(1), attemptFailed(1, 6_000), leased(2, 6_000, OTHER_TOKEN)])
        .when(fail({ token: OTHER_TOKEN, jitter: 0 }))
        .then([failedAttempt(2, NOW + 1_000, OTHER_TOKEN)]);
    });

    it('caps the delay at the policy maximum', () => {
      // attempt 1, nominal min(5 s, 10 s) = 5 s, jitter 0.999 → 2500 + 2497.5 → 4998 ms
      spec
        .given(HISTORY.Running)
        .when(fail({ retryPolicy: { baseDelayMs: 10_000, maxDelayMs: 5_000 }, jitter: 0.999 }))
        .then([failedAttempt(1, NOW + 4_998)]);
    });

    it('parks the task Paused, not queued, when a pause was requested', () => {
      spec
        .given([...HISTORY.Pausing, heartbeat(3_000, { checkpoint: { page: 4 } })])
        .when(fail())
        .then([failedAttempt(1, NOW + 750), taskPaused({ taskId: ID, reason: 'maintenance', checkpoint: { page: 4 }, pausedAt: iso(NOW) })]);
    });

    it('fails at once when the worker says retrying cannot help', () => {
      spec
        .given(HISTORY.Running)
        .when(fail({ retryable: false }))
        .then([failedAttempt(1, null), taskFailedEvent(1, 'not-retryable')]);
    });

    it('fails at once, not paused, for a non-retryable failure while Pausing', () => {
      spec
        .given(HISTORY.Pausing)
        .when(fail({ retryable: false }))
        .then([failedAttempt(1, null), taskFailedEvent(1, 'not-retryable')]);
    });
  });

  describe('with attempts spent', () => {
    it('fails the task after the last attempt', () => {
      spec
        .given(lastAttempt)
        .when(fail({ token: OTHER_TOKEN }))
        .then([failedAttempt(3, null, OTHER_TOKEN), taskFailedEvent(3, 'attempts-exhausted')]);
    });

    it('fails at once when maxAttempts is 1', () => {
      spec
        .given([enqueued({ maxAttempts: 1 }), leased()])
        .when(fail())
        .then([failedAttempt(1, null), taskFailedEvent(1, 'attempts-exhausted')]);
    });

    it('counts a lapsed lease as a spent attempt', () => {
      spec
        .given([enqueued({ maxAttempts: 2 }), leased(1), lapsed(1), leased(2, 31_000, OTHER_TOKEN)])
        .when(fail({ token: OTHER_TOKEN }))
        .then([failedAttempt(2, null, OTHER_TOKEN), taskFailedEvent(2, 'attempts-exhausted')]);
    });

    it('says not-retryable when the worker said so on the last attempt', () => {
      spec
        .given(lastAttempt)
        .when(fail({ token: OTHER_TOKEN, retryable: false }))
        .then([failedAttempt(3, null, OTHER_TOKEN), taskFailedEvent(3, 'not-retryable')]);
    });

    it('fails rather than pauses when the last attempt fails while Pausing', () => {
      spec
        .given([enqueued({ maxAttempts: 1 }), leased(), pauseRequested()])
        .when(fail())
        .then([failedAttempt(1, null), taskFailedEvent(1, 'attempts-exhausted')]);
    });
  });

  describe('while Cancelling', () => {
    it.each([true, false])('cancels the task, with no retry, whatever the failure (retryable: %s)', (retryable) => {
      spec
        .given(HISTORY.Cancelling)
        .when(fail({ retryable }))
        .then([failedAttempt(1, null), taskCancelled({ taskId: ID, reason: 'not needed', cancelledAt: iso(NOW) })]);
    });
  });

  it('cuts an overlong error to the limit rather than refusing it', () => {
    const long = 'e'.repeat(TASK_LIMITS.maxErrorLength + 500);
    const cut = 'e'.repeat(TASK_LIMITS.maxErrorLength);
    spec
      .given(HISTORY.Running)
      .when(fail({ error: long, retryable: false }))
      .then([failedAttempt(1, null, TOKEN, cut), taskFailedEvent(1, 'not-retryable', cut)]);
  });

  it('refuses a stale token', () => {
    spec
      .given(HISTORY.Running)
      .when(fail({ token: OTHER_TOKEN }))
      .thenThrows({ kind: 'conflict', code: 'LeaseLost' });
  });

  it('refuses the worker of an attempt that already failed', () => {
    spec
      .given([...HISTORY.Running, attemptFailed(1, 6_000)])
      .when(fail())
      .thenThrows({ code: 'LeaseLost', message: /task is Queued/ });
  });

  it.each(statusesExcept('Running', 'Pausing', 'Cancelling'))('refuses to fail a %s task', (status) => {
    spec
      .given(HISTORY[status])
      .when(fail())
      .thenThrows({ kind: 'conflict', code: 'LeaseLost', message: new RegExp(`task is ${status}`) });
  });

  it('answers not-found for an unknown task', () => {
    spec.given([]).when(fail()).thenThrows({ kind: 'not-found', code: 'TaskNotFound' });
  });
});
