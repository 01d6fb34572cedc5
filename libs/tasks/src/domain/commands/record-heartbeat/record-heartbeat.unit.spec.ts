import { fold } from '@herald/kernel';
import { deciderSpecification } from '@herald/testing';
import { TaskEvent, taskHeartbeatRecorded, taskLeased } from '../../events/task-events';
import { DefinedTask } from '../../task-state';
import { taskDecider } from '../../task-decider';
import { RecordHeartbeat, heartbeatAnswer } from './record-heartbeat';
import {
  HISTORY,
  ID,
  LEASED_AT,
  OTHER_TOKEN,
  TIMEOUT,
  TOKEN,
  WORKER,
  at,
  enqueued,
  heartbeat,
  iso,
  lapsed,
  leased,
  released,
  statusesExcept,
} from '../fixtures.unit-helpers';

const spec = deciderSpecification(taskDecider);
const beat = (atMs: number, extra: { progress?: unknown; checkpoint?: unknown; extendsLease?: boolean } = {}, token = TOKEN): RecordHeartbeat => ({
  type: 'RecordHeartbeat',
  taskId: ID,
  token,
  ...extra,
  now: at(atMs),
});
const running = HISTORY.Running; // lease taken at 1 s, expires at 31 s; half the timeout is 15 s
const LAPSES_AT = LEASED_AT + TIMEOUT;

describe('RecordHeartbeat', () => {
  describe('what is recorded', () => {
    it('records the first progress, extending the lease', () => {
      spec
        .given(running)
        .when(beat(2_000, { progress: { done: 1 } }))
        .then([heartbeat(2_000, { progress: { done: 1 } })]);
    });

    it('coalesces new progress less than 1 s after the last recorded progress', () => {
      spec
        .given([...running, heartbeat(2_000, { progress: { done: 1 } })])
        .when(beat(2_999, { progress: { done: 2 } }))
        .then([]);
    });

    it('records progress on the worker’s behalf (extendsLease: false) with the lease’s expiry as it was', () => {
      spec
        .given([...running, heartbeat(2_000, { progress: { done: 1 } })])
        .when(beat(3_000, { progress: { done: 2 }, extendsLease: false }))
        .then([taskHeartbeatRecorded({ taskId: ID, token: TOKEN, progress: { done: 2 }, expiresAt: iso(2_000 + TIMEOUT), recordedAt: iso(3_000) })]);
    });

    it('records nothing on the worker’s behalf without news of progress, even when the lease is near its expiry', () => {
      spec
        .given(running)
        .when(beat(LAPSES_AT - 1_000, { extendsLease: false }))
        .then([]);
    });

    it('records new progress 1 s after the last recorded progress', () => {
      spec
        .given([...running, heartbeat(2_000, { progress: { done: 1 } })])
        .when(beat(3_000, { progress: { done: 2 } }))
        .then([heartbeat(3_000, { progress: { done: 2 } })]);
    });

    it('does not record unchanged progress, whatever the key order', () => {
      spec
        .given([...running, heartbeat(2_000, { progress: { done: 1, of: 9 } })])
        .when(beat(9_000, { progress: { of: 9, done: 1 } }))
        .then([]);
    });

    it('does not record a bare heartbeat while the lease is far from expiry', () => {
      spec
        .given(running)
        .when(beat(LAPSES_AT - TIMEOUT / 2 - 1))
        .then([]);
    });

    it('records a bare heartbeat once the lease is half a timeout from expiry', () => {
      spec
        .given(running)
        .when(beat(LAPSES_AT - TIMEOUT / 2))
        .then([heartbeat(LAPSES_AT - TIMEOUT / 2)]);
    });

    it('records progress within 1 s of the last when the lease needs extending', () => {
      // a 1 s timeout: progress recorded at 2 s expires the lease at 3 s; at 2.6 s only 0.4 s are left
      const short = [
        enqueued({ heartbeatTimeoutMs: 1_000 }),
        taskLeased({ taskId: ID, token: TOKEN, workerId: WORKER, attempt: 1, leasedAt: iso(1_800), expiresAt: iso(2_800) }),
        taskHeartbeatRecorded({ taskId: ID, token: TOKEN, progress: 1, expiresAt: iso(3_000), recordedAt: iso(2_000) }),
      ];
      spec
        .given(short)
        .when(beat(2_600, { progress: 2 }))
        .then([taskHeartbeatRecorded({ taskId: ID, token: TOKEN, progress: 2, expiresAt: iso(3_600), recordedAt: iso(2_600) })]);
      spec
        .given(short)
        .when(beat(2_400, { progress: 2 }))
        .then([]);
    });

    it('measures freshness from the recorded expiry, which a coalesced heartbeat did not move', () => {
      // recorded at 2 s → expires 32 s; nothing recorded since, so at 17 s only 15 s are left
      spec
        .given([...running, heartbeat(2_000, { progress: { done: 1 } })])
        .when(beat(17_000, { progress: { done: 1 } }))
        .then([heartbeat(17_000, { progress: { done: 1 } })]);
    });

    it('always records a checkpoint, even with unchanged progress within 1 s', () => {
      spec
        .given([...running, heartbeat(2_000, { progress: { done: 1 } })])
        .when(beat(2_100, { progress: { done: 1 }, checkpoint: { cursor: 'c1' } }))
        .then([heartbeat(2_100, { progress: { done: 1 }, checkpoint: { cursor: 'c1' } })]);
    });

    it('records a checkpoint alone, without a progress field', () => {
      const [event] = taskDecider.decide(beat(2_000, { checkpoint: { cursor: 'c1' } }), fold(taskDecider, running));
      expect(event).toEqual(heartbeat(2_000, { checkpoint: { cursor: 'c1' } }));
      expect(Object.keys(event.data)).not.toContain('progress');
    });

    it('records a null checkpoint: it is a value that clears the stored one', () => {
      spec
        .given([...running, heartbeat(2_000, { checkpoint: { cursor: 'c1' } })])
        .when(beat(2_100, { checkpoint: null }))
        .then([heartbeat(2_100, { checkpoint: null })]);
    });

    it('accepts a heartbeat past the recorded expiry until the lapse is recorded', () => {
      spec
        .given(running)
        .when(beat(LAPSES_AT + 5_000))
        .then([heartbeat(LAPSES_AT + 5_000)]);
    });

    it.each(['Pausing', 'Cancelling'] as const)('records heartbeats while %s: the worker still holds the lease', (status) => {
      spec
        .given(HISTORY[status])
        .when(beat(3_000, { progress: 0.5 }))
        .then([heartbeat(3_000, { progress: 0.5 })]);
    });
  });

  describe('the lease', () => {
    it('refuses a token that is not the current lease', () => {
      spec
        .given(running)
        .when(beat(2_000, {}, OTHER_TOKEN))
        .thenThrows({ kind: 'conflict', code: 'LeaseLost', message: /lease-b .* no longer held: the task was leased again \(attempt 1\)/ });
    });

    it('refuses the token of a lease that lapsed, saying so', () => {
      spec
        .given([...running, lapsed()])
        .when(beat(LAPSES_AT + 10))
        .thenThrows({
          code: 'LeaseLost',
          message: `lease ${TOKEN} on task ${ID} is no longer held: the lease lapsed at ${iso(LAPSES_AT)} and the task is Queued`,
        });
    });

    it('refuses an old token after the task was leased again', () => {
      spec
        .given([...running, lapsed(), leased(2, LAPSES_AT, OTHER_TOKEN)])
        .when(beat(LAPSES_AT + 10))
        .thenThrows({ code: 'LeaseLost', message: /the lease lapsed at .* and the task was leased again \(attempt 2\)/ });
    });

    it('refuses the token of a lease the worker released', () => {
      spec
        .given([...running, released()])
        .when(beat(6_000))
        .thenThrows({ code: 'LeaseLost', message: /the task is Queued/ });
    });

    it.each(statusesExcept('Running', 'Pausing', 'Cancelling'))('refuses any heartbeat once the task is %s', (status) => {
      spec
        .given(HISTORY[status])
        .when(beat(6_000, { checkpoint: 1 }))
        .thenThrows({ kind: 'conflict', code: 'LeaseLost', message: new RegExp(`the task is ${status}$`) });
    });

    it('answers not-found for an unknown task', () => {
      spec.given([]).when(beat(2_000)).thenThrows({ kind: 'not-found', code: 'TaskNotFound' });
    });
  });
});

describe('heartbeatAnswer', () => {
  const answer = (events: TaskEvent[]) => heartbeatAnswer(fold(taskDecider, events) as DefinedTask);

  it('tells a running worker its lease expiry and nothing else', () => {
    expect(answer(running)).toEqual({ expiresAt: iso(LAPSES_AT), pauseRequested: false, cancelRequested: false });
  });

  it('reports the expiry of the last recorded heartbeat', () => {
    expect(answer([...running, heartbeat(20_000)]).expiresAt).toBe(iso(20_000 + TIMEOUT));
  });

  it('asks the worker to pause while Pausing', () => {
    expect(answer(HISTORY.Pausing)).toEqual({ expiresAt: iso(LAPSES_AT), pauseRequested: true, cancelRequested: false });
  });

  it('asks the worker to stop while Cancelling', () => {
    expect(answer(HISTORY.Cancelling)).toEqual({ expiresAt: iso(LAPSES_AT), pauseRequested: false, cancelRequested: true });
  });

  it('has no expiry once no lease is held', () => {
    expect(answer([enqueued(), leased(), released()]).expiresAt).toBeNull();
  });
});
