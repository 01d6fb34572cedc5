import Database from 'better-sqlite3';
import { Logger } from '@nestjs/common';
import { SqliteEventStore } from '@herald/event-store';
import { Clock } from '@herald/kernel';
import { CommandRunner } from '@herald/runtime';
import { eventually } from '@herald/testing';
import { DefinedTask, TaskHeartbeatRecordedData, taskStream } from '../domain';
import { TaskCommands } from '../commands/task-commands';
import { PendingProgress } from './pending-progress';

const T0 = Date.parse('2026-11-23T09:00:00.000Z');
const TASK_ID = '0b6d3c1e-5a4f-4e2d-8c7b-9a8f7e6d5c4b';
const TOKEN = `${TASK_ID}.lease-a`;

/**
 * The service's clock is a fake one the test moves; the timers are real and
 * short: each case coalesces progress a few ms before its window ends.
 */
describe('PendingProgress (SQLite event store, fake service clock)', () => {
  let db: Database.Database;
  let events: SqliteEventStore;
  let tasks: TaskCommands;
  let pending: PendingProgress;
  let nowMs: number;

  beforeEach(async () => {
    nowMs = T0;
    const clock: Clock = { now: () => new Date(nowMs) };
    db = new Database(':memory:');
    events = new SqliteEventStore(db, clock);
    tasks = new TaskCommands(new CommandRunner(events, null, clock), events, clock);
    pending = new PendingProgress(tasks);
    await tasks.run({
      type: 'EnqueueTask',
      taskId: TASK_ID,
      taskType: 'report.render',
      params: {},
      owner: null,
      tags: [],
      priority: 0,
      runAt: null,
      maxAttempts: 3,
      heartbeatTimeoutMs: 30_000,
    });
    await tasks.run({ type: 'LeaseTask', taskId: TASK_ID, token: TOKEN, workerId: 'worker-1' });
  });

  afterEach(() => {
    pending.onModuleDestroy();
    db.close();
  });

  /** A heartbeat as the lease endpoint handles it, at service time T0 + atMs. */
  async function heartbeat(atMs: number, progress: unknown): Promise<void> {
    nowMs = T0 + atMs;
    const { state } = await tasks.run({ type: 'RecordHeartbeat', taskId: TASK_ID, token: TOKEN, progress });
    pending.afterHeartbeat(TOKEN, progress, state as DefinedTask);
  }

  const recordedProgress = async () =>
    (await events.readStream(taskStream(TASK_ID)))
      .filter((e) => e.type === 'TaskHeartbeatRecorded')
      .map((e) => (e.data as TaskHeartbeatRecordedData).progress);

  it('records the latest coalesced progress once the window ends, with no heartbeat after it', async () => {
    await heartbeat(100, 10); // recorded: the window runs to 1,100
    await heartbeat(1_090, 20); // coalesced
    await heartbeat(1_095, 30); // coalesced, replaces 20
    expect(await recordedProgress()).toEqual([10]);
    expect(pending.size).toBe(1);
    nowMs = T0 + 1_100;
    await eventually(recordedProgress, (p) => p.length === 2, { timeoutMs: 3_000, what: 'the pending progress recorded' });
    expect(await recordedProgress()).toEqual([10, 30]);
    await eventually(
      () => pending.size,
      (n) => n === 0,
      { timeoutMs: 1_000, what: 'nothing pending' },
    );
    // Recorded on the worker's behalf, not a sign of life: the lease keeps the expiry its last recorded heartbeat gave it.
    const expiries = (await events.readStream(taskStream(TASK_ID)))
      .filter((e) => e.type === 'TaskHeartbeatRecorded')
      .map((e) => (e.data as TaskHeartbeatRecordedData).expiresAt);
    expect(expiries).toEqual([new Date(T0 + 100 + 30_000).toISOString(), new Date(T0 + 100 + 30_000).toISOString()]);
  });

  it('records the newer progress when it comes while an older one is being recorded', async () => {
    await heartbeat(100, 10);
    await heartbeat(1_090, 20);
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const load = tasks.load.bind(tasks);
    const spy = jest.spyOn(tasks, 'load').mockImplementationOnce(async (id) => {
      const loaded = await load(id);
      await held; // the flush of 20 has read the stream and waits here
      return loaded;
    });
    nowMs = T0 + 1_100;
    await eventually(
      () => spy.mock.calls.length,
      (n) => n === 1,
      { timeoutMs: 3_000, what: 'the flush of 20 under way' },
    );
    // A heartbeat the service handled a moment earlier (its request began before the window ended): coalesced, pending.
    await heartbeat(1_095, 30);
    nowMs = T0 + 1_100;
    release();
    await eventually(recordedProgress, (p) => p.length >= 2, { timeoutMs: 3_000, what: 'a progress recorded after 10' });
    await eventually(
      () => pending.size,
      (n) => n === 0,
      { timeoutMs: 3_000, what: 'nothing pending' },
    );
    expect(await recordedProgress()).toEqual([10, 30]);
  });

  it('waits again when its timer fires before the window ended by the service clock', async () => {
    await heartbeat(100, 10);
    await heartbeat(1_090, 20); // the timer fires in ~10 ms; the service clock stays at 1,090
    const load = jest.spyOn(tasks, 'load');
    await eventually(
      () => load.mock.calls.length,
      (n) => n >= 2,
      { timeoutMs: 3_000, what: 'two flushes, both still coalesced' },
    );
    expect(await recordedProgress()).toEqual([10]);
    expect(pending.size).toBe(1);
    nowMs = T0 + 1_100;
    await eventually(recordedProgress, (p) => p.length === 2, { timeoutMs: 3_000, what: 'the pending progress recorded' });
    expect(await recordedProgress()).toEqual([10, 20]);
  });

  it('drops pending progress when a heartbeat records progress, or brings back what is recorded', async () => {
    await heartbeat(100, 10);
    await heartbeat(200, 20);
    expect(pending.size).toBe(1);
    await heartbeat(300, 10); // the latest progress is the recorded one again
    expect(pending.size).toBe(0);
    await heartbeat(400, 20);
    expect(pending.size).toBe(1);
    await heartbeat(1_100, 25); // the window ended: recorded by the heartbeat itself
    expect(pending.size).toBe(0);
    expect(await recordedProgress()).toEqual([10, 25]);
  });

  it('keeps pending progress through a heartbeat without progress', async () => {
    await heartbeat(100, 10);
    await heartbeat(1_090, 20);
    await heartbeat(1_095, undefined);
    expect(pending.size).toBe(1);
    nowMs = T0 + 1_100;
    await eventually(recordedProgress, (p) => p.includes(20), { timeoutMs: 3_000, what: 'the pending progress recorded' });
  });

  it('drops it when progress was recorded elsewhere meanwhile (another replica): older progress never overwrites newer', async () => {
    await heartbeat(100, 10);
    await heartbeat(900, 20); // pending here; its timer fires in ~200 ms
    nowMs = T0 + 1_100;
    await tasks.run({ type: 'RecordHeartbeat', taskId: TASK_ID, token: TOKEN, progress: 30 }); // not through this instance
    nowMs = T0 + 2_200; // 30's own window is over too by the time the timer fires: only the check on flush keeps 20 out
    await eventually(
      () => pending.size,
      (n) => n === 0,
      { timeoutMs: 3_000, what: 'the pending progress dropped' },
    );
    expect(await recordedProgress()).toEqual([10, 30]);
  });

  it('drops it, without a warning, when the lease ended before the window did', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    await heartbeat(100, 10);
    await heartbeat(1_090, 20);
    await tasks.run({ type: 'CompleteTask', taskId: TASK_ID, token: TOKEN, result: null });
    nowMs = T0 + 1_100;
    await eventually(
      () => pending.size,
      (n) => n === 0,
      { timeoutMs: 3_000, what: 'the pending progress dropped' },
    );
    expect((await events.readStream(taskStream(TASK_ID))).at(-1)?.type).toBe('TaskCompleted');
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  it('forgets a lease’s pending progress when told its lease ended, and everything on module destroy', async () => {
    await heartbeat(100, 10);
    await heartbeat(200, 20);
    pending.forget(TOKEN);
    expect(pending.size).toBe(0);
    await heartbeat(300, 30);
    pending.onModuleDestroy();
    expect(pending.size).toBe(0);
    await heartbeat(400, 40); // after shutdown began: nothing more is deferred
    expect(pending.size).toBe(0);
  });
});
