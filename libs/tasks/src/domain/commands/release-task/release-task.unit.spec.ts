import { fold } from '@herald/kernel';
import { deciderSpecification } from '@herald/testing';
import { taskCancelled, taskLeased, taskPaused } from '../../events/task-events';
import { taskDecider } from '../../task-decider';
import { ReleaseTask } from './release-task';
import {
  HISTORY,
  ID,
  OTHER_TOKEN,
  TIMEOUT,
  TOKEN,
  WORKER,
  at,
  heartbeat,
  iso,
  lapsed,
  leased,
  released,
  statusesExcept,
} from '../fixtures.unit-helpers';

const spec = deciderSpecification(taskDecider);
const NOW = 8_000;
const release = (overrides: Partial<ReleaseTask> = {}): ReleaseTask => ({
  type: 'ReleaseTask',
  taskId: ID,
  token: TOKEN,
  now: at(NOW),
  ...overrides,
});

describe('ReleaseTask', () => {
  it('gives a running task back to the queue', () => {
    spec
      .given(HISTORY.Running)
      .when(release())
      .then([released(NOW)]);
  });

  it('records the checkpoint given with the release', () => {
    spec
      .given(HISTORY.Running)
      .when(release({ checkpoint: { page: 9 } }))
      .then([released(NOW, { checkpoint: { page: 9 } })]);
  });

  it('spends no attempt: the next lease gets the same attempt number', () => {
    const history = [...HISTORY.Running, ...taskDecider.decide(release(), fold(taskDecider, HISTORY.Running))];
    spec
      .given(history)
      .when({ type: 'LeaseTask', taskId: ID, token: OTHER_TOKEN, workerId: WORKER, now: at(NOW) })
      .then([taskLeased({ taskId: ID, token: OTHER_TOKEN, workerId: WORKER, attempt: 1, leasedAt: iso(NOW), expiresAt: iso(NOW + TIMEOUT) })]);
  });

  it('acknowledges a pause request: the task becomes Paused with the new checkpoint', () => {
    spec
      .given([...HISTORY.Pausing, heartbeat(3_000, { checkpoint: { page: 4 } })])
      .when(release({ checkpoint: { page: 9 } }))
      .then([
        released(NOW, { checkpoint: { page: 9 } }),
        taskPaused({ taskId: ID, reason: 'maintenance', checkpoint: { page: 9 }, pausedAt: iso(NOW) }),
      ]);
  });

  it('acknowledges a pause request without a checkpoint: the stored one is kept', () => {
    spec
      .given([...HISTORY.Pausing, heartbeat(3_000, { checkpoint: { page: 4 } })])
      .when(release())
      .then([released(NOW), taskPaused({ taskId: ID, reason: 'maintenance', checkpoint: { page: 4 }, pausedAt: iso(NOW) })]);
  });

  it('acknowledges a cancel request: the task becomes Cancelled', () => {
    spec
      .given(HISTORY.Cancelling)
      .when(release())
      .then([released(NOW), taskCancelled({ taskId: ID, reason: 'not needed', cancelledAt: iso(NOW) })]);
  });

  it('refuses a stale token', () => {
    spec
      .given(HISTORY.Running)
      .when(release({ token: OTHER_TOKEN }))
      .thenThrows({ kind: 'conflict', code: 'LeaseLost' });
  });

  it('refuses an old token after the task was leased again', () => {
    spec
      .given([...HISTORY.Running, released(5_000), leased(1, 6_000, OTHER_TOKEN)])
      .when(release())
      .thenThrows({ code: 'LeaseLost', message: /leased again \(attempt 1\)/ });
  });

  it('refuses a release after the lease lapsed', () => {
    spec
      .given([...HISTORY.Running, lapsed()])
      .when(release({ now: at(40_000) }))
      .thenThrows({ code: 'LeaseLost', message: /lease lapsed/ });
  });

  it.each(statusesExcept('Running', 'Pausing', 'Cancelling'))('refuses to release a %s task', (status) => {
    spec
      .given(HISTORY[status])
      .when(release())
      .thenThrows({ kind: 'conflict', code: 'LeaseLost', message: new RegExp(`task is ${status}`) });
  });

  it('answers not-found for an unknown task', () => {
    spec.given([]).when(release()).thenThrows({ kind: 'not-found', code: 'TaskNotFound' });
  });
});
