import { fold } from '@herald/kernel';
import { deciderSpecification } from '@herald/testing';
import { reminderCompleted, reminderRescheduled } from '../../events/reminder-events';
import { reminderDecider } from '../../reminder-decider';
import { HISTORY, ID, attemptFailed, at, defined, iso } from '../fixtures.unit-helpers';
import { RescheduleReminder } from './reschedule-reminder';

const spec = deciderSpecification(reminderDecider);
const NOW = 1_000;
const reschedule = (dueAtMs: number, nowMs = NOW): RescheduleReminder => ({
  type: 'RescheduleReminder',
  reminderId: ID,
  dueAt: at(dueAtMs),
  now: at(nowMs),
});
const rescheduled = (dueAtMs: number, previousMs: number, nowMs = NOW) =>
  reminderRescheduled({ reminderId: ID, dueAt: iso(dueAtMs), previousDueAt: iso(previousMs), rescheduledAt: iso(nowMs) });

describe('RescheduleReminder', () => {
  // defined(): due at +30 s
  it('moves an active reminder later', () => {
    spec
      .given([defined()])
      .when(reschedule(90_000))
      .then([rescheduled(90_000, 30_000)]);
  });

  it('moves an active reminder earlier', () => {
    spec
      .given([defined()])
      .when(reschedule(5_000))
      .then([rescheduled(5_000, 30_000)]);
  });

  it('keeps the millisecond it was given', () => {
    spec
      .given([defined()])
      .when(reschedule(12_345))
      .then([rescheduled(12_345, 30_000)]);
  });

  it('leaves the reminder waiting for the new time only: its state no longer names the old one', () => {
    const state = fold(reminderDecider, [defined(), rescheduled(90_000, 30_000)]);
    expect(state).toMatchObject({ status: 'Active', dueAt: iso(90_000), nextAttemptAt: iso(90_000), attempts: 0 });
  });

  it('moves the pending retry of a reminder between retries, and the attempts made still count', () => {
    const history = [defined(), attemptFailed(1, 30_010, 31_000)];
    spec
      .given(history)
      .when(reschedule(60_000, 30_500))
      .then([rescheduled(60_000, 31_000, 30_500)]);
    const after = [...history, rescheduled(60_000, 31_000, 30_500)];
    expect(fold(reminderDecider, after)).toMatchObject({ status: 'Active', attempts: 1, nextAttemptAt: iso(60_000) });
    // The pending attempt is still the second one.
    spec
      .given(after)
      .when({ type: 'RecordCallbackSuccess', reminderId: ID, attempt: 2, statusCode: 204, now: at(60_001) })
      .then([reminderCompleted({ reminderId: ID, attempt: 2, statusCode: 204, completedAt: iso(60_001) })]);
  });

  it('can be rescheduled again', () => {
    spec
      .given([defined(), rescheduled(90_000, 30_000)])
      .when(reschedule(45_000, 2_000))
      .then([rescheduled(45_000, 90_000, 2_000)]);
  });

  it('records nothing when asked for the time it is already due at', () => {
    spec.given([defined()]).when(reschedule(30_000)).then([]);
  });

  it('accepts a time slightly in the past, as defining does: it then fires at once', () => {
    spec
      .given([defined()])
      .when(reschedule(-1_000))
      .then([rescheduled(-1_000, 30_000)]);
  });

  it.each([
    ['a time beyond 10 years', 11 * 365 * 24 * 3600 * 1000, /the reminder must fall due within 10 years/],
    ['a time days in the past', -3 * 24 * 3600 * 1000, /dueAt must not be more than 24 hours in the past/],
    ['an invalid date', NaN, /dueAt must be a valid ISO-8601 date-time/],
  ])('rejects %s with the rule defining uses', (_name, dueAtMs, message) => {
    spec.given([defined()]).when(reschedule(dueAtMs)).thenThrows({ kind: 'invalid', code: 'InvalidReminder', message });
  });

  it('answers not-found for an unknown reminder', () => {
    spec.given([]).when(reschedule(90_000)).thenThrows({ kind: 'not-found', code: 'ReminderNotFound' });
  });

  it.each(['Completed', 'Failed', 'Cancelled'] as const)('refuses to reschedule a %s reminder, naming its state', (status) => {
    spec
      .given(HISTORY[status])
      .when(reschedule(90_000, 40_000))
      .thenThrows({
        kind: 'conflict',
        code: 'ReminderAlreadyFinished',
        message: `reminder ${ID} is ${status} and can no longer be rescheduled`,
      });
  });
});
