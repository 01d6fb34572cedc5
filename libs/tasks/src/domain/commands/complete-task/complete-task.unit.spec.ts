import { deciderSpecification } from '@herald/testing';
import { taskCompleted } from '../../events/task-events';
import { taskDecider } from '../../task-decider';
import { CompleteTask } from './complete-task';
import {
  HISTORY,
  ID,
  LEASED_AT,
  OTHER_TOKEN,
  TIMEOUT,
  TOKEN,
  at,
  attemptFailed,
  enqueued,
  iso,
  lapsed,
  leased,
  statusesExcept,
} from '../fixtures.unit-helpers';

const spec = deciderSpecification(taskDecider);
const complete = (overrides: Partial<CompleteTask> = {}): CompleteTask => ({
  type: 'CompleteTask',
  taskId: ID,
  token: TOKEN,
  result: { rows: 7 },
  now: at(9_000),
  ...overrides,
});
const completedEvent = (attempt: number, result: unknown, token = TOKEN) =>
  taskCompleted({ taskId: ID, token, attempt, result, completedAt: iso(9_000) });

describe('CompleteTask', () => {
  it('completes a running task with its result', () => {
    spec
      .given(HISTORY.Running)
      .when(complete())
      .then([completedEvent(1, { rows: 7 })]);
  });

  it('stores a missing result as null', () => {
    spec
      .given(HISTORY.Running)
      .when(complete({ result: undefined }))
      .then([completedEvent(1, null)]);
  });

  it('records the attempt that did the work', () => {
    spec
      .given([...HISTORY.Running, attemptFailed(1, 6_000), leased(2, 6_000, OTHER_TOKEN)])
      .when(complete({ token: OTHER_TOKEN }))
      .then([completedEvent(2, { rows: 7 }, OTHER_TOKEN)]);
  });

  it.each(['Pausing', 'Cancelling'] as const)('completes a %s task: done work is reported, the late request loses', (status) => {
    spec
      .given(HISTORY[status])
      .when(complete())
      .then([completedEvent(1, { rows: 7 })]);
  });

  it('refuses a stale token', () => {
    spec
      .given(HISTORY.Running)
      .when(complete({ token: OTHER_TOKEN }))
      .thenThrows({ kind: 'conflict', code: 'LeaseLost', message: /leased again/ });
  });

  it('refuses a worker whose lease lapsed and was given to another', () => {
    spec
      .given([...HISTORY.Running, lapsed(), leased(2, LEASED_AT + TIMEOUT, OTHER_TOKEN)])
      .when(complete())
      .thenThrows({ code: 'LeaseLost', message: /lease lapsed at .* and the task was leased again \(attempt 2\)/ });
  });

  it.each(statusesExcept('Running', 'Pausing', 'Cancelling'))('refuses to complete a %s task', (status) => {
    spec
      .given(HISTORY[status])
      .when(complete())
      .thenThrows({ kind: 'conflict', code: 'LeaseLost', message: new RegExp(`task is ${status}`) });
  });

  it('answers not-found for an unknown task', () => {
    spec.given([]).when(complete()).thenThrows({ kind: 'not-found', code: 'TaskNotFound' });
  });

  it('names the schedule occurrence of a task a schedule enqueued, so the schedule learns its run finished', () => {
    const scheduled = { scheduleId: 'c0ffee00-0000-4000-8000-000000000001', scheduledFor: '2027-01-01T09:00:00.000Z' };
    spec
      .given([enqueued(scheduled), leased()])
      .when(complete())
      .then([taskCompleted({ taskId: ID, token: TOKEN, attempt: 1, result: { rows: 7 }, completedAt: iso(9_000), ...scheduled })]);
  });
});
