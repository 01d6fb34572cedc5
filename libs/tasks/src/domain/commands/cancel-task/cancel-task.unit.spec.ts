import { deciderSpecification } from '@herald/testing';
import { taskCancelRequested, taskCancelled } from '../../events/task-events';
import { taskDecider } from '../../task-decider';
import { CancelTask } from './cancel-task';
import { HISTORY, ID, at, enqueued, iso, statusesExcept } from '../fixtures.unit-helpers';

const spec = deciderSpecification(taskDecider);
const NOW = 9_000;
const cancel = (reason?: string): CancelTask => ({
  type: 'CancelTask',
  taskId: ID,
  ...(reason !== undefined ? { reason } : {}),
  now: at(NOW),
});

describe('CancelTask', () => {
  it.each(['Queued', 'Paused'] as const)('cancels a %s task at once', (status) => {
    spec
      .given(HISTORY[status])
      .when(cancel('obsolete'))
      .then([taskCancelled({ taskId: ID, reason: 'obsolete', cancelledAt: iso(NOW) })]);
  });

  it('records a missing reason as null', () => {
    spec
      .given(HISTORY.Queued)
      .when(cancel())
      .then([taskCancelled({ taskId: ID, reason: null, cancelledAt: iso(NOW) })]);
  });

  it.each(['Running', 'Pausing'] as const)('asks the worker of a %s task to stop', (status) => {
    spec
      .given(HISTORY[status])
      .when(cancel('obsolete'))
      .then([taskCancelRequested({ taskId: ID, reason: 'obsolete', requestedAt: iso(NOW) })]);
  });

  it.each(statusesExcept('Queued', 'Paused', 'Running', 'Pausing'))('refuses to cancel a %s task', (status) => {
    spec
      .given(HISTORY[status])
      .when(cancel())
      .thenThrows({ kind: 'conflict', code: 'TaskStateConflict', message: `task ${ID} is ${status} and cannot be cancelled` });
  });

  it('rejects a reason over 1000 characters', () => {
    spec
      .given(HISTORY.Queued)
      .when(cancel('r'.repeat(1_001)))
      .thenThrows({ kind: 'invalid', code: 'InvalidTaskCommand', message: /reason/ });
  });

  it('answers not-found for an unknown task', () => {
    spec.given([]).when(cancel()).thenThrows({ kind: 'not-found', code: 'TaskNotFound' });
  });

  it('names the schedule occurrence when cancelling a task a schedule enqueued', () => {
    const scheduled = { scheduleId: 'c0ffee00-0000-4000-8000-000000000001', scheduledFor: '2027-01-01T09:00:00.000Z' };
    spec
      .given([enqueued(scheduled)])
      .when(cancel())
      .then([taskCancelled({ taskId: ID, reason: null, cancelledAt: iso(NOW), ...scheduled })]);
  });
});
