import { deciderSpecification } from '@herald/testing';
import { taskPauseRequested, taskPaused } from '../../events/task-events';
import { taskDecider } from '../../task-decider';
import { PauseTask } from './pause-task';
import { HISTORY, ID, TOKEN, at, heartbeat, iso, leased, released, statusesExcept, attemptFailed, enqueued } from '../fixtures.unit-helpers';

const spec = deciderSpecification(taskDecider);
const NOW = 9_000;
const pause = (reason?: string): PauseTask => ({
  type: 'PauseTask',
  taskId: ID,
  ...(reason !== undefined ? { reason } : {}),
  now: at(NOW),
});

describe('PauseTask', () => {
  it('pauses a queued task at once', () => {
    spec
      .given(HISTORY.Queued)
      .when(pause('deploy'))
      .then([taskPaused({ taskId: ID, reason: 'deploy', checkpoint: null, pausedAt: iso(NOW) })]);
  });

  it('records a missing reason as null', () => {
    spec
      .given(HISTORY.Queued)
      .when(pause())
      .then([taskPaused({ taskId: ID, reason: null, checkpoint: null, pausedAt: iso(NOW) })]);
  });

  it('pauses a task waiting for a retry, keeping the checkpoint of its last attempt', () => {
    spec
      .given([enqueued(), leased(), heartbeat(3_000, { checkpoint: { page: 4 } }), attemptFailed(1, 60_000)])
      .when(pause('deploy'))
      .then([taskPaused({ taskId: ID, reason: 'deploy', checkpoint: { page: 4 }, pausedAt: iso(NOW) })]);
  });

  it('pauses a released task with the checkpoint its worker left', () => {
    spec
      .given([...HISTORY.Running, released(5_000, { checkpoint: { page: 9 } })])
      .when(pause())
      .then([taskPaused({ taskId: ID, reason: null, checkpoint: { page: 9 }, pausedAt: iso(NOW) })]);
  });

  it('asks the worker of a running task to pause', () => {
    spec
      .given(HISTORY.Running)
      .when(pause('deploy'))
      .then([taskPauseRequested({ taskId: ID, reason: 'deploy', requestedAt: iso(NOW) })]);
  });

  it.each(statusesExcept('Queued', 'Running'))('refuses to pause a %s task', (status) => {
    spec
      .given(HISTORY[status])
      .when(pause())
      .thenThrows({ kind: 'conflict', code: 'TaskStateConflict', message: `task ${ID} is ${status} and cannot be paused` });
  });

  it('rejects a reason over 1000 characters', () => {
    spec
      .given(HISTORY.Queued)
      .when(pause('r'.repeat(1_001)))
      .thenThrows({ kind: 'invalid', code: 'InvalidTaskCommand', message: /reason must be a string of at most 1000 characters/ });
  });

  it('accepts a reason of 1000 characters', () => {
    spec
      .given(HISTORY.Running)
      .when(pause('r'.repeat(1_000)))
      .then([taskPauseRequested({ taskId: ID, reason: 'r'.repeat(1_000), requestedAt: iso(NOW) })]);
  });

  it('answers not-found for an unknown task', () => {
    spec.given([]).when(pause()).thenThrows({ kind: 'not-found', code: 'TaskNotFound' });
  });

  it('leaves the lease with the worker while Pausing', () => {
    // the worker keeps its lease until it acknowledges: its heartbeat is still accepted
    spec
      .given([...HISTORY.Running, taskPauseRequested({ taskId: ID, reason: null, requestedAt: iso(2_000) })])
      .when({ type: 'RecordHeartbeat', taskId: ID, token: TOKEN, checkpoint: 1, now: at(NOW) })
      .then([heartbeat(NOW, { checkpoint: 1 })]);
  });
});
