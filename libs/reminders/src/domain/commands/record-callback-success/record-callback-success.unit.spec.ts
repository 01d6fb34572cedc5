import { deciderSpecification } from '@herald/testing';
import { callbackAttemptFailed, reminderCancelled, reminderCompleted } from '../../events/reminder-events';
import { reminderDecider } from '../../reminder-decider';
import { ID, T0, at, defined } from '../fixtures.unit-helpers';

const spec = deciderSpecification(reminderDecider);
const success = (attempt: number) => ({ type: 'RecordCallbackSuccess' as const, reminderId: ID, attempt, statusCode: 204, now: at(30_005) });

describe('RecordCallbackSuccess', () => {
  it('completes the reminder on the first attempt', () => {
    spec
      .given([defined()])
      .when(success(1))
      .then([reminderCompleted({ reminderId: ID, attempt: 1, statusCode: 204, completedAt: at(30_005).toISOString() })]);
  });

  it('completes on a retry', () => {
    const failed = callbackAttemptFailed({
      reminderId: ID,
      attempt: 1,
      error: 'timeout',
      statusCode: null,
      failedAt: T0.toISOString(),
      nextAttemptAt: at(31_000).toISOString(),
    });
    spec
      .given([defined(), failed])
      .when(success(2))
      .then([reminderCompleted({ reminderId: ID, attempt: 2, statusCode: 204, completedAt: at(30_005).toISOString() })]);
  });

  it('rejects a duplicate delivery of an attempt already recorded', () => {
    const done = reminderCompleted({ reminderId: ID, attempt: 1, statusCode: 200, completedAt: T0.toISOString() });
    spec.given([defined(), done]).when(success(1)).thenThrows({ kind: 'conflict', code: 'ReminderAlreadyFinished' });
  });

  it('rejects an attempt that is not the pending one', () => {
    spec.given([defined()]).when(success(2)).thenThrows({ kind: 'conflict', code: 'StaleCallbackAttempt' });
  });

  it('never completes a cancelled reminder', () => {
    spec
      .given([defined(), reminderCancelled({ reminderId: ID, cancelledAt: T0.toISOString() })])
      .when(success(1))
      .thenThrows({ kind: 'conflict', code: 'ReminderAlreadyFinished' });
  });
});
