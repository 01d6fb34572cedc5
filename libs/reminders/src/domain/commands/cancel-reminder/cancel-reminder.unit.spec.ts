import { deciderSpecification } from '@herald/testing';
import { reminderCancelled, reminderCompleted, reminderFailed, callbackAttemptFailed } from '../../events/reminder-events';
import { reminderDecider } from '../../reminder-decider';
import { ID, T0, at, defined } from '../fixtures.unit-helpers';

const spec = deciderSpecification(reminderDecider);
const cancel = { type: 'CancelReminder' as const, reminderId: ID, now: at(1_000) };

describe('CancelReminder', () => {
  it('cancels an active reminder', () => {
    spec
      .given([defined()])
      .when(cancel)
      .then([reminderCancelled({ reminderId: ID, cancelledAt: at(1_000).toISOString() })]);
  });

  it('cancels a reminder that is between retries', () => {
    const failed = callbackAttemptFailed({
      reminderId: ID,
      attempt: 1,
      error: 'HTTP 500',
      statusCode: 500,
      failedAt: T0.toISOString(),
      nextAttemptAt: at(2_000).toISOString(),
    });
    spec
      .given([defined(), failed])
      .when(cancel)
      .then([reminderCancelled({ reminderId: ID, cancelledAt: at(1_000).toISOString() })]);
  });

  it('answers not-found for an unknown reminder', () => {
    spec.given([]).when(cancel).thenThrows({ kind: 'not-found', code: 'ReminderNotFound' });
  });

  it.each([
    ['Completed', reminderCompleted({ reminderId: ID, attempt: 1, statusCode: 200, completedAt: T0.toISOString() })],
    ['Failed', reminderFailed({ reminderId: ID, attempts: 3, lastError: 'HTTP 500', failedAt: T0.toISOString() })],
    ['Cancelled', reminderCancelled({ reminderId: ID, cancelledAt: T0.toISOString() })],
  ])('refuses to cancel a %s reminder', (status, finished) => {
    spec
      .given([defined(), finished])
      .when(cancel)
      .thenThrows({ kind: 'conflict', code: 'ReminderAlreadyFinished', message: new RegExp(status) });
  });
});
