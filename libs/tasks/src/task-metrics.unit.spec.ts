import { DomainError } from '@herald/kernel';
import { TASK_EVENT_TYPES, TaskCommand, TaskEvent, TaskState, decideTask, evolveTask } from './domain';
import { HISTORY, ID, LEASED_AT, TIMEOUT, TOKEN, at, enqueued, leased } from './domain/commands/fixtures.unit-helpers';
import { taskCounts } from './task-metrics';

const fold = (events: TaskEvent[]): TaskState => events.reduce(evolveTask, null as TaskState);

/** Every command, as a worker, a user or the lease timer would send it. */
const COMMANDS: TaskCommand[] = [
  {
    type: 'EnqueueTask',
    taskId: ID,
    taskType: 'report.render',
    params: null,
    owner: null,
    tags: [],
    priority: 0,
    runAt: null,
    maxAttempts: 3,
    heartbeatTimeoutMs: TIMEOUT,
    now: at(0),
  },
  { type: 'LeaseTask', taskId: ID, token: TOKEN, workerId: 'w', now: at(LEASED_AT) },
  { type: 'RecordHeartbeat', taskId: ID, token: TOKEN, checkpoint: { page: 2 }, now: at(LEASED_AT + 1_000) },
  { type: 'CompleteTask', taskId: ID, token: TOKEN, result: null, now: at(LEASED_AT + 2_000) },
  {
    type: 'FailTask',
    taskId: ID,
    token: TOKEN,
    error: 'boom',
    retryable: true,
    retryPolicy: { baseDelayMs: 100, maxDelayMs: 1_000 },
    jitter: 0,
    now: at(LEASED_AT + 2_000),
  },
  {
    type: 'FailTask',
    taskId: ID,
    token: TOKEN,
    error: 'boom',
    retryable: false,
    retryPolicy: { baseDelayMs: 100, maxDelayMs: 1_000 },
    jitter: 0,
    now: at(LEASED_AT + 2_000),
  },
  { type: 'ReleaseTask', taskId: ID, token: TOKEN, now: at(LEASED_AT + 2_000) },
  { type: 'ExpireLease', taskId: ID, token: TOKEN, now: at(LEASED_AT + TIMEOUT) },
  { type: 'PauseTask', taskId: ID, reason: 'maintenance', now: at(LEASED_AT + 2_000) },
  { type: 'ResumeTask', taskId: ID, now: at(LEASED_AT + 3_000) },
  { type: 'CancelTask', taskId: ID, now: at(LEASED_AT + 3_000) },
  { type: 'RetriggerTask', taskId: ID, fromCheckpoint: true, now: at(LEASED_AT + 4_000) },
];

/** Every status, plus a task on its last attempt (a failure or a lapse then ends it). */
const STARTS: [string, TaskEvent[]][] = [
  ['new', []],
  ...Object.entries(HISTORY),
  ['Running, last attempt', [enqueued({ maxAttempts: 1 }), leased()]],
];

describe('taskCounts (what herald_tasks_total counts per task command)', () => {
  it('over the real decider, every command that appended anything else than a heartbeat moved the task into the status it left: one count per command', () => {
    const seen = new Set<string>();
    let checked = 0;
    for (const [, history] of STARTS) {
      const before = fold(history);
      for (const command of COMMANDS) {
        let events: TaskEvent[];
        try {
          events = decideTask(command, before);
        } catch (error) {
          if (error instanceof DomainError) continue; // refused in this status
          throw error;
        }
        if (events.length === 0) continue;
        events.forEach((e) => seen.add(e.type));
        const after = events.reduce(evolveTask, before)!;
        const expected = before?.status === after.status ? null : after.status;
        expect({ command: command.type, from: before?.status ?? 'new', entered: taskCounts(events, after).entered }).toEqual({
          command: command.type,
          from: before?.status ?? 'new',
          entered: expected,
        });
        checked++;
      }
    }
    // The claim is about every kind of task event: each was produced above.
    expect([...seen].sort()).toEqual([...TASK_EVENT_TYPES].sort());
    expect(checked).toBeGreaterThan(20);
  });

  it('counts a last failed attempt as Failed only, and a lapse once', () => {
    const lastAttempt = fold([enqueued({ maxAttempts: 1 }), leased()]);
    const expire = decideTask({ type: 'ExpireLease', taskId: ID, token: TOKEN, now: at(LEASED_AT + TIMEOUT) }, lastAttempt);
    expect(expire.map((e) => e.type)).toEqual(['TaskLeaseLapsed', 'TaskFailed']);
    expect(taskCounts(expire, expire.reduce(evolveTask, lastAttempt))).toEqual({ entered: 'Failed', lapses: 1 });
  });
});
