import { TaskEvent } from '../domain';
import {
  ID,
  LEASED_AT,
  TIMEOUT,
  attemptFailed,
  cancelled,
  completed,
  enqueued,
  failed,
  heartbeat,
  iso,
  lapsed,
  leased,
  pauseRequested,
  paused,
  released,
} from '../domain/commands/fixtures.unit-helpers';
import { TimeIndex } from '@herald/scheduling';
import { TASK_LEASES_TOPIC, TASK_STARTS_TOPIC, taskTimerChanges, taskTimersProjection } from './task-timers.projection';

const start = (revision: number, atMs: number) => ({ put: { topic: TASK_STARTS_TOPIC, key: ID, sequence: revision, dueAt: Date.parse(iso(atMs)) } });
const lease = (revision: number, atMs: number) => ({ put: { topic: TASK_LEASES_TOPIC, key: ID, sequence: revision, dueAt: Date.parse(iso(atMs)) } });
const noStart = { remove: { topic: TASK_STARTS_TOPIC, key: ID } };
const noLease = { remove: { topic: TASK_LEASES_TOPIC, key: ID } };
const changes = (event: TaskEvent, revision = 3) => taskTimerChanges(event, revision);

describe('task timers: what each task event does to its start and lease-expiry entries', () => {
  it('plans the start at runAt when enqueued', () => {
    expect(changes(enqueued(), 0)).toEqual([start(0, 0)]);
  });

  it('swaps the start for a lease expiry when leased, and moves the expiry with each recorded heartbeat', () => {
    expect(changes(leased(), 1)).toEqual([noStart, lease(1, LEASED_AT + TIMEOUT)]);
    expect(changes(heartbeat(10_000), 2)).toEqual([lease(2, 10_000 + TIMEOUT)]);
  });

  it('plans the retry at retryAt after a retryable failure, and drops the expiry', () => {
    expect(changes(attemptFailed(1, 9_000))).toEqual([noLease, start(3, 9_000)]);
    expect(changes(attemptFailed(3, null))).toEqual([noLease]);
  });

  it('starts again at once after a release or a lapse', () => {
    expect(changes(released(5_000))).toEqual([noLease, start(3, 5_000)]);
    expect(changes(lapsed(1, 31_000))).toEqual([noLease, start(3, 31_000)]);
  });

  it.each([
    ['paused', paused()],
    ['cancelled', cancelled()],
    ['completed', completed()],
    ['failed', failed(3)],
  ])('drops both timers once %s', (_status, event) => {
    expect(changes(event)).toEqual([noStart, noLease]);
  });

  it('leaves both timers alone for a pause request: the lease runs on until the worker answers or it lapses', () => {
    expect(changes(pauseRequested())).toEqual([]);
  });
});

describe('task timers projection', () => {
  it('never lets events gather: a task start is on the pickup path', () => {
    expect(taskTimersProjection({} as TimeIndex).gathers).toBeFalsy();
  });
});
