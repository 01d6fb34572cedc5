import { fold } from '@herald/kernel';
import { TaskEvent, taskHeartbeatRecorded, taskResumed } from './events/task-events';
import { DefinedTask, TASK_STATUSES, isLeasedStatus } from './task-state';
import { taskDecider } from './task-decider';
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
  heartbeat,
  iso,
  lapsed,
  lapsedUnspent,
  leased,
  pauseRequested,
  paused,
  released,
} from './commands/fixtures.unit-helpers';

const state = (events: TaskEvent[]) => fold(taskDecider, events) as DefinedTask;
const resumed = (atMs: number) => taskResumed({ taskId: ID, reason: null, resumedAt: iso(atMs) });
/** Runs a command against the folded history and appends what it decides. */
const after = (events: TaskEvent[], command: Parameters<typeof taskDecider.decide>[0]) => [
  ...events,
  ...taskDecider.decide(command, fold(taskDecider, events)),
];

describe('task state', () => {
  it('is null until the task is enqueued, and ignores events without an enqueue', () => {
    expect(fold(taskDecider, [])).toBeNull();
    expect(fold(taskDecider, [leased(), heartbeat(2_000, { progress: 1 })])).toBeNull();
  });

  it('starts Queued with nothing used, from the enqueue', () => {
    expect(state([enqueued({ scheduleId: 's-1', scheduledFor: iso(0), runAt: iso(5_000) })])).toEqual({
      taskId: ID,
      type: 'report.render',
      params: { reportId: 42 },
      owner: 'team-a',
      tags: ['nightly'],
      priority: 0,
      status: 'Queued',
      runAt: iso(5_000),
      maxAttempts: 3,
      heartbeatTimeoutMs: TIMEOUT,
      attempt: 0,
      attemptsUsed: 0,
      progress: null,
      lastProgressAt: null,
      checkpoint: null,
      result: null,
      error: null,
      lease: null,
      requestReason: null,
      lapsedLease: null,
      scheduleId: 's-1',
      scheduledFor: iso(0),
    });
  });

  it.each(TASK_STATUSES)('the %s fixture history reaches that status, with a lease exactly when leased', (status) => {
    const s = state(HISTORY[status]);
    expect(s.status).toBe(status);
    if (isLeasedStatus(status)) expect(s.lease).toEqual({ token: TOKEN, workerId: WORKER, expiresAt: iso(LEASED_AT + TIMEOUT) });
    else expect(s.lease).toBeNull();
  });

  it('a recorded heartbeat moves the lease expiry, progress (with its time) and checkpoint', () => {
    const s = state([...HISTORY.Running, heartbeat(4_000, { progress: 0.3, checkpoint: { page: 2 } })]);
    expect(s).toMatchObject({
      lease: { token: TOKEN, expiresAt: iso(4_000 + TIMEOUT) },
      progress: 0.3,
      lastProgressAt: iso(4_000),
      checkpoint: { page: 2 },
    });
  });

  it('a heartbeat without progress leaves progress and its time alone', () => {
    const s = state([...HISTORY.Running, heartbeat(4_000, { progress: 0.3 }), heartbeat(20_000, { checkpoint: 'c' })]);
    expect(s).toMatchObject({ progress: 0.3, lastProgressAt: iso(4_000), checkpoint: 'c' });
  });

  it('a heartbeat with an explicit null checkpoint clears it', () => {
    const s = state([
      ...HISTORY.Running,
      heartbeat(4_000, { checkpoint: 'c' }),
      taskHeartbeatRecorded({ taskId: ID, token: TOKEN, checkpoint: null, expiresAt: iso(9_000), recordedAt: iso(5_000) }),
    ]);
    expect(s.checkpoint).toBeNull();
  });

  it('a lapsed lease queues the task at once, spends the attempt, keeps the checkpoint and remembers the lapse', () => {
    const s = state([...HISTORY.Running, heartbeat(4_000, { checkpoint: { page: 2 } }), lapsed(1, 34_000)]);
    expect(s).toMatchObject({
      status: 'Queued',
      runAt: iso(34_000),
      attempt: 1,
      attemptsUsed: 1,
      lease: null,
      checkpoint: { page: 2 },
      lapsedLease: { token: TOKEN, lapsedAt: iso(34_000) },
    });
  });

  it('a lease that lapsed while Pausing (spent: false) leaves the attempts used as they were', () => {
    const s = state([enqueued(), leased(), attemptFailed(1, 5_000), leased(2, 5_000, OTHER_TOKEN), lapsedUnspent(2, 35_000, OTHER_TOKEN)]);
    expect(s).toMatchObject({ attempt: 2, attemptsUsed: 1, lapsedLease: { token: OTHER_TOKEN, lapsedAt: iso(35_000) } });
  });

  it('a retryable failure queues the task at retryAt with the error, spending the attempt', () => {
    const s = state([...HISTORY.Running, attemptFailed(1, 8_000)]);
    expect(s).toMatchObject({ status: 'Queued', runAt: iso(8_000), attemptsUsed: 1, error: 'boom', lease: null });
  });

  it('a release queues the task at once without spending the attempt, replacing the checkpoint when given', () => {
    const s = state([...HISTORY.Running, heartbeat(4_000, { checkpoint: 1 }), released(6_000, { checkpoint: 2 })]);
    expect(s).toMatchObject({ status: 'Queued', runAt: iso(6_000), attempt: 1, attemptsUsed: 0, lease: null, checkpoint: 2 });
  });

  it('a completed task keeps its result and has spent the attempt', () => {
    expect(state(HISTORY.Completed)).toMatchObject({ status: 'Completed', result: { rows: 7 }, attemptsUsed: 1, lease: null });
  });

  it('a pause request keeps the lease and its reason until acknowledged', () => {
    expect(state(HISTORY.Pausing)).toMatchObject({ status: 'Pausing', requestReason: 'maintenance', lease: { token: TOKEN } });
    expect(state(HISTORY.Cancelling)).toMatchObject({ status: 'Cancelling', requestReason: 'not needed', lease: { token: TOKEN } });
  });

  describe('pause and resume', () => {
    const pausedWithCheckpoint = [
      ...HISTORY.Running,
      heartbeat(4_000, { checkpoint: { page: 7 } }),
      pauseRequested(5_000),
      released(6_000),
      paused(6_000, { page: 7 }),
    ];

    it('a resumed task is due at once and keeps its checkpoint and attempts', () => {
      const s = state([...pausedWithCheckpoint, resumed(50_000)]);
      expect(s).toMatchObject({
        status: 'Queued',
        runAt: iso(50_000),
        checkpoint: { page: 7 },
        attempt: 1,
        attemptsUsed: 0,
        requestReason: null,
      });
    });

    it('a later lease still sees the checkpoint (and, the pause having come by release, the same attempt)', () => {
      const history = after([...pausedWithCheckpoint, resumed(50_000)], {
        type: 'LeaseTask',
        taskId: ID,
        token: OTHER_TOKEN,
        workerId: WORKER,
        now: at(50_000),
      });
      expect(state(history)).toMatchObject({ status: 'Running', attempt: 1, checkpoint: { page: 7 }, lease: { token: OTHER_TOKEN } });
    });

    it('a task paused by a failed attempt resumes with that attempt spent', () => {
      const history = [...HISTORY.Pausing, attemptFailed(1, 8_000), paused(5_000), resumed(50_000)];
      const leasedAgain = after(history, { type: 'LeaseTask', taskId: ID, token: OTHER_TOKEN, workerId: WORKER, now: at(50_000) });
      expect(state(leasedAgain)).toMatchObject({ status: 'Running', attempt: 2, attemptsUsed: 1, runAt: iso(50_000) });
    });

    it('a withdrawn pause request returns to Running with the same lease', () => {
      const history = after(HISTORY.Pausing, { type: 'ResumeTask', taskId: ID, now: at(3_000) });
      expect(state(history)).toMatchObject({
        status: 'Running',
        lease: { token: TOKEN, expiresAt: iso(LEASED_AT + TIMEOUT) },
        requestReason: null,
      });
    });
  });

  it('a whole life: lease, progress, release, lease, lapse, lease, complete', () => {
    let history: TaskEvent[] = [enqueued()];
    history = after(history, { type: 'LeaseTask', taskId: ID, token: 'a', workerId: 'w1', now: at(1_000) });
    history = after(history, { type: 'RecordHeartbeat', taskId: ID, token: 'a', progress: 0.1, checkpoint: 'p1', now: at(2_000) });
    history = after(history, { type: 'ReleaseTask', taskId: ID, token: 'a', now: at(3_000) });
    history = after(history, { type: 'LeaseTask', taskId: ID, token: 'b', workerId: 'w2', now: at(3_000) });
    history = after(history, { type: 'ExpireLease', taskId: ID, token: 'b', now: at(33_000) });
    history = after(history, { type: 'LeaseTask', taskId: ID, token: 'c', workerId: 'w3', now: at(34_000) });
    expect(state(history)).toMatchObject({ attempt: 2, checkpoint: 'p1', progress: 0.1 });
    history = after(history, { type: 'CompleteTask', taskId: ID, token: 'c', result: 'ok', now: at(35_000) });
    expect(history.map((e) => e.type)).toEqual([
      'TaskEnqueued',
      'TaskLeased',
      'TaskHeartbeatRecorded',
      'TaskReleased',
      'TaskLeased',
      'TaskLeaseLapsed',
      'TaskLeased',
      'TaskCompleted',
    ]);
    expect(state(history)).toMatchObject({ status: 'Completed', attempt: 2, attemptsUsed: 2, result: 'ok', lease: null });
  });
});
