import { fold } from '@herald/kernel';
import { deciderSpecification } from '@herald/testing';
import { callbackAttemptFailed, reminderCancelled, reminderCompleted, reminderRetriggered } from '../../events/reminder-events';
import { reminderDecider } from '../../reminder-decider';
import { HISTORY, ID, attemptFailed, at, iso } from '../fixtures.unit-helpers';
import { RetriggerReminder } from './retrigger-reminder';

const spec = deciderSpecification(reminderDecider);
const NOW = 90_000;
const retrigger = (dueAtMs?: number): RetriggerReminder => ({
  type: 'RetriggerReminder',
  reminderId: ID,
  ...(dueAtMs !== undefined ? { dueAt: at(dueAtMs) } : {}),
  now: at(NOW),
});
const retriggered = (dueAtMs: number, nowMs = NOW) => reminderRetriggered({ reminderId: ID, dueAt: iso(dueAtMs), retriggeredAt: iso(nowMs) });

describe('RetriggerReminder', () => {
  it.each(['Failed', 'Cancelled'] as const)('makes a %s reminder due again at once', (status) => {
    spec
      .given(HISTORY[status])
      .when(retrigger())
      .then([retriggered(NOW)]);
  });

  it.each(['Failed', 'Cancelled'] as const)('makes a %s reminder due at the dueAt given', (status) => {
    spec
      .given(HISTORY[status])
      .when(retrigger(NOW + 60_000))
      .then([retriggered(NOW + 60_000)]);
  });

  it('makes it Active, due at the new time, with no attempts made', () => {
    const state = fold(reminderDecider, [...HISTORY.Failed, retriggered(NOW)]);
    expect(state).toMatchObject({ status: 'Active', dueAt: iso(NOW), nextAttemptAt: iso(NOW), attempts: 0, maxAttempts: 3 });
  });

  it('starts the attempts over: the next callback is attempt 1 again', () => {
    spec
      .given([...HISTORY.Failed, retriggered(NOW)])
      .when({ type: 'RecordCallbackSuccess', reminderId: ID, attempt: 1, statusCode: 204, now: at(NOW + 5) })
      .then([reminderCompleted({ reminderId: ID, attempt: 1, statusCode: 204, completedAt: iso(NOW + 5) })]);
  });

  it('gives a full budget of attempts again: a failure of its attempt 1 is retried, not final', () => {
    spec
      .given([...HISTORY.Failed, retriggered(NOW)])
      .when({
        type: 'RecordCallbackFailure',
        reminderId: ID,
        attempt: 1,
        error: 'HTTP 500',
        statusCode: 500,
        retryAfterMs: null,
        retryPolicy: { baseDelayMs: 1_000, maxDelayMs: 60_000 },
        jitter: 0,
        now: at(NOW + 5),
      })
      .then([
        callbackAttemptFailed({
          reminderId: ID,
          attempt: 1,
          error: 'HTTP 500',
          statusCode: 500,
          failedAt: iso(NOW + 5),
          nextAttemptAt: iso(NOW + 5 + 500),
        }),
      ]);
  });

  it("rejects an outcome for the old run's attempts", () => {
    spec
      .given([...HISTORY.Failed, retriggered(NOW)])
      .when({ type: 'RecordCallbackSuccess', reminderId: ID, attempt: 4, statusCode: 204, now: at(NOW + 5) })
      .thenThrows({ kind: 'conflict', code: 'StaleCallbackAttempt' });
  });

  it.each([
    ['a dueAt beyond 10 years', NOW + 11 * 365 * 24 * 3600 * 1000, /the reminder must fall due within 10 years/],
    ['a dueAt days in the past', NOW - 3 * 24 * 3600 * 1000, /dueAt must not be more than 24 hours in the past/],
    ['an invalid dueAt', NaN, /dueAt must be a valid ISO-8601 date-time/],
  ])('rejects %s with the rule defining uses', (_name, dueAtMs, message) => {
    spec.given(HISTORY.Failed).when(retrigger(dueAtMs)).thenThrows({ kind: 'invalid', code: 'InvalidReminder', message });
  });

  it('answers not-found for an unknown reminder', () => {
    spec.given([]).when(retrigger()).thenThrows({ kind: 'not-found', code: 'ReminderNotFound' });
  });

  it.each([
    ['an Active reminder', 'Active', HISTORY.Active],
    ['an Active reminder between retries', 'Active', [...HISTORY.Active, attemptFailed(1, 30_010, 31_000)]],
    ['a Completed reminder', 'Completed', HISTORY.Completed],
  ])('refuses to retrigger %s, naming its state', (_name, status, history) => {
    spec
      .given(history)
      .when(retrigger())
      .thenThrows({ kind: 'conflict', code: 'ReminderStateConflict', message: new RegExp(`^reminder ${ID} is ${status} and cannot be retriggered`) });
  });

  it('retriggers a reminder again once its new run was cancelled', () => {
    spec
      .given([...HISTORY.Cancelled, retriggered(NOW - 10_000, NOW - 10_000), reminderCancelled({ reminderId: ID, cancelledAt: iso(NOW - 5_000) })])
      .when(retrigger())
      .then([retriggered(NOW)]);
  });
});
