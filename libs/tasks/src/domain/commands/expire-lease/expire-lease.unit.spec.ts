import { deciderSpecification } from '@herald/testing';
import { taskCancelled, taskPaused, taskResumed } from '../../events/task-events';
import { taskDecider } from '../../task-decider';
import { ExpireLease } from './expire-lease';
import {
  HISTORY,
  ID,
  LEASED_AT,
  OTHER_TOKEN,
  TIMEOUT,
  TOKEN,
  WORKER,
  at,
  attemptFailed,
  enqueued,
  failed,
  heartbeat,
  iso,
  lapsed,
  lapsedUnspent,
  leased,
  pauseRequested,
  released,
  statusesExcept,
} from '../fixtures.unit-helpers';

const spec = deciderSpecification(taskDecider);
const EXPIRY = LEASED_AT + TIMEOUT;
const expire = (atMs = EXPIRY, token = TOKEN): ExpireLease => ({ type: 'ExpireLease', taskId: ID, token, now: at(atMs) });

describe('ExpireLease', () => {
  it('lapses a running lease at its expiry; attempts are left, so nothing more', () => {
    spec
      .given(HISTORY.Running)
      .when(expire())
      .then([lapsed(1, EXPIRY)]);
  });

  it('lapses a lease the scheduler fires late for', () => {
    spec
      .given(HISTORY.Running)
      .when(expire(EXPIRY + 500))
      .then([lapsed(1, EXPIRY + 500)]);
  });

  it('does nothing before the expiry', () => {
    spec
      .given(HISTORY.Running)
      .when(expire(EXPIRY - 1))
      .then([]);
  });

  it('does nothing when a heartbeat extended the lease', () => {
    spec
      .given([...HISTORY.Running, heartbeat(20_000)])
      .when(expire(EXPIRY))
      .then([]);
  });

  it('lapses the extended lease at its new expiry', () => {
    spec
      .given([...HISTORY.Running, heartbeat(20_000)])
      .when(expire(20_000 + TIMEOUT))
      .then([lapsed(1, 20_000 + TIMEOUT)]);
  });

  it('does nothing for a lease that was released', () => {
    spec
      .given([...HISTORY.Running, released(5_000)])
      .when(expire())
      .then([]);
  });

  it('does nothing for an old lease once the task was leased again', () => {
    spec
      .given([...HISTORY.Running, released(5_000), leased(1, 6_000, OTHER_TOKEN)])
      .when(expire(40_000))
      .then([]);
  });

  it('does nothing for a lease that already lapsed (the timer fired twice)', () => {
    spec
      .given([...HISTORY.Running, lapsed()])
      .when(expire(EXPIRY + 1))
      .then([]);
  });

  it.each(statusesExcept('Running', 'Pausing', 'Cancelling'))('does nothing once the task is %s', (status) => {
    spec.given(HISTORY[status]).when(expire(60_000)).then([]);
  });

  it('fails the task when the lapsed lease was its last attempt', () => {
    spec
      .given([enqueued({ maxAttempts: 2 }), leased(1), attemptFailed(1, 6_000), leased(2, 6_000, OTHER_TOKEN)])
      .when(expire(6_000 + TIMEOUT, OTHER_TOKEN))
      .then([lapsed(2, 6_000 + TIMEOUT, OTHER_TOKEN), failed(2, 'lease-lapsed', 6_000 + TIMEOUT)]);
  });

  it('pauses a Pausing task whose worker vanished, keeping the checkpoint and not spending the attempt', () => {
    spec
      .given([...HISTORY.Running, heartbeat(3_000, { checkpoint: { page: 4 } }), pauseRequested(4_000)])
      .when(expire(3_000 + TIMEOUT))
      .then([
        lapsedUnspent(1, 3_000 + TIMEOUT),
        taskPaused({ taskId: ID, reason: 'maintenance', checkpoint: { page: 4 }, pausedAt: iso(3_000 + TIMEOUT) }),
      ]);
  });

  it('pauses, not fails, a Pausing task whose last attempt lapsed: the worker was asked to stop', () => {
    spec
      .given([enqueued({ maxAttempts: 2 }), leased(1), attemptFailed(1, 6_000), leased(2, 6_000, OTHER_TOKEN), pauseRequested(7_000)])
      .when(expire(6_000 + TIMEOUT, OTHER_TOKEN))
      .then([
        lapsedUnspent(2, 6_000 + TIMEOUT, OTHER_TOKEN),
        taskPaused({ taskId: ID, reason: 'maintenance', checkpoint: null, pausedAt: iso(6_000 + TIMEOUT) }),
      ]);
  });

  it('leases the same attempt again once a task paused by a lapse is resumed', () => {
    const pausedByLapse = [
      enqueued({ maxAttempts: 1 }),
      leased(),
      pauseRequested(),
      lapsedUnspent(1, EXPIRY),
      taskPaused({ taskId: ID, reason: 'maintenance', checkpoint: null, pausedAt: iso(EXPIRY) }),
      taskResumed({ taskId: ID, reason: null, resumedAt: iso(EXPIRY + 1_000) }),
    ];
    spec
      .given(pausedByLapse)
      .when({ type: 'LeaseTask', taskId: ID, token: OTHER_TOKEN, workerId: WORKER, now: at(EXPIRY + 1_000) })
      .then([leased(1, EXPIRY + 1_000, OTHER_TOKEN)]);
  });

  it.each([1, 3])('cancels a Cancelling task whose worker vanished (maxAttempts %i)', (maxAttempts) => {
    spec
      .given([enqueued({ maxAttempts }), ...HISTORY.Cancelling.slice(1)])
      .when(expire())
      .then([lapsed(1, EXPIRY), taskCancelled({ taskId: ID, reason: 'not needed', cancelledAt: iso(EXPIRY) })]);
  });

  it('answers not-found for an unknown task', () => {
    spec.given([]).when(expire()).thenThrows({ kind: 'not-found', code: 'TaskNotFound' });
  });
});
