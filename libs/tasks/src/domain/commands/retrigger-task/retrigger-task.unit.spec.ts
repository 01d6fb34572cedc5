import { fold } from '@herald/kernel';
import { deciderSpecification } from '@herald/testing';
import { taskLeased, taskRetriggered } from '../../events/task-events';
import { taskDecider } from '../../task-decider';
import { RetriggerTask } from './retrigger-task';
import {
  HISTORY,
  ID,
  OTHER_TOKEN,
  TIMEOUT,
  WORKER,
  at,
  attemptFailed,
  enqueued,
  failed,
  heartbeat,
  iso,
  leased,
  statusesExcept,
} from '../fixtures.unit-helpers';

const spec = deciderSpecification(taskDecider);
const NOW = 90_000;
const retrigger = (fromCheckpoint: boolean, reason?: string): RetriggerTask => ({
  type: 'RetriggerTask',
  taskId: ID,
  ...(reason !== undefined ? { reason } : {}),
  fromCheckpoint,
  now: at(NOW),
});
/** Failed after all 3 attempts, the last having checkpointed page 4. */
const exhausted = [
  enqueued(),
  leased(1),
  attemptFailed(1, 6_000),
  leased(2, 6_000),
  attemptFailed(2, 9_000),
  leased(3, 9_000),
  heartbeat(10_000, { progress: 0.4, checkpoint: { page: 4 } }),
  attemptFailed(3, null, 11_000),
  failed(3, 'attempts-exhausted', 11_000),
];

describe('RetriggerTask', () => {
  it.each(['Failed', 'Cancelled'] as const)('queues a %s task again', (status) => {
    spec
      .given(HISTORY[status])
      .when(retrigger(false, 'upstream fixed'))
      .then([taskRetriggered({ taskId: ID, reason: 'upstream fixed', fromCheckpoint: false, retriggeredAt: iso(NOW) })]);
  });

  it('records the choice to start from the checkpoint, and a missing reason as null', () => {
    spec
      .given(HISTORY.Failed)
      .when(retrigger(true))
      .then([taskRetriggered({ taskId: ID, reason: null, fromCheckpoint: true, retriggeredAt: iso(NOW) })]);
  });

  it('starts the attempts over: the next lease is attempt 1 with a full budget', () => {
    const history = [...exhausted, ...taskDecider.decide(retrigger(true), fold(taskDecider, exhausted))];
    spec
      .given(history)
      .when({ type: 'LeaseTask', taskId: ID, token: OTHER_TOKEN, workerId: WORKER, now: at(NOW) })
      .then([taskLeased({ taskId: ID, token: OTHER_TOKEN, workerId: WORKER, attempt: 1, leasedAt: iso(NOW), expiresAt: iso(NOW + TIMEOUT) })]);
    const state = fold(taskDecider, history);
    expect(state).toMatchObject({ status: 'Queued', attempt: 0, attemptsUsed: 0, runAt: iso(NOW), error: null, result: null });
  });

  it('keeps the checkpoint when retriggered from it', () => {
    const state = fold(taskDecider, [...exhausted, taskRetriggered({ taskId: ID, reason: null, fromCheckpoint: true, retriggeredAt: iso(NOW) })]);
    expect(state).toMatchObject({ checkpoint: { page: 4 }, progress: 0.4 });
  });

  it('drops the checkpoint and progress when retriggered from scratch', () => {
    const state = fold(taskDecider, [...exhausted, taskRetriggered({ taskId: ID, reason: null, fromCheckpoint: false, retriggeredAt: iso(NOW) })]);
    expect(state).toMatchObject({ checkpoint: null, progress: null, lastProgressAt: null });
  });

  it.each(statusesExcept('Failed', 'Cancelled'))('refuses to retrigger a %s task', (status) => {
    spec
      .given(HISTORY[status])
      .when(retrigger(true))
      .thenThrows({ kind: 'conflict', code: 'TaskStateConflict', message: `task ${ID} is ${status} and cannot be retriggered` });
  });

  it('rejects a reason over 1000 characters', () => {
    spec
      .given(HISTORY.Failed)
      .when(retrigger(false, 'r'.repeat(1_001)))
      .thenThrows({ kind: 'invalid', code: 'InvalidTaskCommand', message: /reason/ });
  });

  it('answers not-found for an unknown task', () => {
    spec.given([]).when(retrigger(false)).thenThrows({ kind: 'not-found', code: 'TaskNotFound' });
  });
});
