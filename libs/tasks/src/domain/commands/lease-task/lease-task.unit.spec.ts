import { deciderSpecification } from '@herald/testing';
import { taskLeased } from '../../events/task-events';
import { taskDecider } from '../../task-decider';
import { LeaseTask } from './lease-task';
import {
  HISTORY,
  ID,
  LEASED_AT,
  OTHER_TOKEN,
  TIMEOUT,
  TOKEN,
  WORKER,
  attemptFailed,
  enqueued,
  heartbeat,
  iso,
  lapsed,
  leased,
  released,
  at,
  statusesExcept,
} from '../fixtures.unit-helpers';

const spec = deciderSpecification(taskDecider);
const lease = (atMs: number, token = OTHER_TOKEN, overrides: Partial<LeaseTask> = {}): LeaseTask => ({
  type: 'LeaseTask',
  taskId: ID,
  token,
  workerId: WORKER,
  now: at(atMs),
  ...overrides,
});
const leasedEvent = (attempt: number, atMs: number, token = OTHER_TOKEN) =>
  taskLeased({ taskId: ID, token, workerId: WORKER, attempt, leasedAt: iso(atMs), expiresAt: iso(atMs + TIMEOUT) });

describe('LeaseTask', () => {
  it('leases a due task as attempt 1, expiring one heartbeat timeout later', () => {
    spec
      .given([enqueued()])
      .when(lease(LEASED_AT, TOKEN))
      .then([leased(1, LEASED_AT, TOKEN)]);
  });

  it('leases a task exactly at its runAt', () => {
    spec
      .given([enqueued({ runAt: iso(60_000) })])
      .when(lease(60_000))
      .then([leasedEvent(1, 60_000)]);
  });

  it('uses the task’s own heartbeat timeout for the expiry', () => {
    spec
      .given([enqueued({ heartbeatTimeoutMs: 1_000 })])
      .when(lease(0))
      .then([taskLeased({ taskId: ID, token: OTHER_TOKEN, workerId: WORKER, attempt: 1, leasedAt: iso(0), expiresAt: iso(1_000) })]);
  });

  it('refuses a task not yet due, naming its runAt', () => {
    spec
      .given([enqueued({ runAt: iso(60_000) })])
      .when(lease(59_999))
      .thenThrows({ kind: 'conflict', code: 'TaskNotLeasable', message: `task ${ID} cannot be leased yet: not before ${iso(60_000)}` });
  });

  it('gives the next attempt number after a failed attempt, once the retry is due', () => {
    spec
      .given([enqueued(), leased(), attemptFailed(1, 8_000)])
      .when(lease(8_000))
      .then([leasedEvent(2, 8_000)]);
  });

  it('refuses a retry before its backoff is over', () => {
    spec
      .given([enqueued(), leased(), attemptFailed(1, 8_000)])
      .when(lease(7_999))
      .thenThrows({ code: 'TaskNotLeasable', message: /not before/ });
  });

  it('gives the next attempt number after a lapsed lease, at once', () => {
    spec
      .given([enqueued(), leased(), lapsed()])
      .when(lease(LEASED_AT + TIMEOUT))
      .then([leasedEvent(2, LEASED_AT + TIMEOUT)]);
  });

  it('gives the same attempt number again after a release: releasing spends no attempt', () => {
    spec
      .given([enqueued(), leased(), heartbeat(3_000), released(5_000)])
      .when(lease(5_000))
      .then([leasedEvent(1, 5_000)]);
  });

  it('keeps the attempt number through several releases', () => {
    const history = [enqueued(), leased(), attemptFailed(1, 5_000), leased(2, 5_000), released(6_000), leased(2, 6_000), released(7_000)];
    spec
      .given(history)
      .when(lease(7_000))
      .then([leasedEvent(2, 7_000)]);
  });

  it.each(statusesExcept('Queued'))('refuses to lease a %s task, naming the status', (status) => {
    spec
      .given(HISTORY[status])
      .when(lease(10_000))
      .thenThrows({ kind: 'conflict', code: 'TaskNotLeasable', message: `task ${ID} is ${status} and cannot be leased` });
  });

  it.each([
    ['an empty workerId', ''],
    ['a workerId of 201 characters', 'w'.repeat(201)],
  ])('rejects %s', (_name, workerId) => {
    spec
      .given([enqueued()])
      .when(lease(LEASED_AT, TOKEN, { workerId }))
      .thenThrows({ kind: 'invalid', code: 'InvalidTaskCommand', message: /workerId must be a string of 1-200 characters/ });
  });

  it('answers not-found for an unknown task', () => {
    spec.given([]).when(lease(LEASED_AT)).thenThrows({ kind: 'not-found', code: 'TaskNotFound' });
  });
});
