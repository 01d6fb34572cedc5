import { deciderSpecification } from '@herald/testing';
import { taskPauseWithdrawn, taskResumed } from '../../events/task-events';
import { taskDecider } from '../../task-decider';
import { ResumeTask } from './resume-task';
import { HISTORY, ID, TOKEN, at, iso, statusesExcept } from '../fixtures.unit-helpers';

const spec = deciderSpecification(taskDecider);
const NOW = 9_000;
const resume = (reason?: string): ResumeTask => ({
  type: 'ResumeTask',
  taskId: ID,
  ...(reason !== undefined ? { reason } : {}),
  now: at(NOW),
});

describe('ResumeTask', () => {
  it('queues a paused task again', () => {
    spec
      .given(HISTORY.Paused)
      .when(resume('deploy done'))
      .then([taskResumed({ taskId: ID, reason: 'deploy done', resumedAt: iso(NOW) })]);
  });

  it('records a missing reason as null', () => {
    spec
      .given(HISTORY.Paused)
      .when(resume())
      .then([taskResumed({ taskId: ID, reason: null, resumedAt: iso(NOW) })]);
  });

  it('withdraws a pause request the worker has not acknowledged yet', () => {
    spec
      .given(HISTORY.Pausing)
      .when(resume('changed my mind'))
      .then([taskPauseWithdrawn({ taskId: ID, reason: 'changed my mind', withdrawnAt: iso(NOW) })]);
  });

  it('leaves the worker its lease when the pause is withdrawn', () => {
    spec
      .given([...HISTORY.Pausing, taskPauseWithdrawn({ taskId: ID, reason: null, withdrawnAt: iso(3_000) })])
      .when({ type: 'CompleteTask', taskId: ID, token: TOKEN, now: at(NOW) })
      .then([expect.objectContaining({ type: 'TaskCompleted', data: expect.objectContaining({ token: TOKEN, attempt: 1 }) })]);
  });

  it.each(statusesExcept('Paused', 'Pausing'))('refuses to resume a %s task', (status) => {
    spec
      .given(HISTORY[status])
      .when(resume())
      .thenThrows({ kind: 'conflict', code: 'TaskStateConflict', message: `task ${ID} is ${status} and cannot be resumed` });
  });

  it('rejects a reason over 1000 characters', () => {
    spec
      .given(HISTORY.Paused)
      .when(resume('r'.repeat(1_001)))
      .thenThrows({ kind: 'invalid', code: 'InvalidTaskCommand', message: /reason/ });
  });

  it('answers not-found for an unknown task', () => {
    spec.given([]).when(resume()).thenThrows({ kind: 'not-found', code: 'TaskNotFound' });
  });
});
