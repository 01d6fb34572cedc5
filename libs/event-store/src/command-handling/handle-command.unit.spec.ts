import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { Decider, DomainError, DomainEvent, conflict, systemClock } from '@herald/kernel';
import { WrongExpectedRevisionError } from '../errors';
import { commandEventId } from '../event-ids';
import { EventStore, EventToAppend, ExpectedRevision } from '../event-store.port';
import { SqliteEventStore } from '../sqlite/sqlite-event-store';
import { HandleCommandOptions, handleCommand } from './handle-command';

// A background task, as a worker and a user see it: the worker beats, the user pauses.
type TaskEvent = DomainEvent<'TaskStarted' | 'HeartbeatRecorded' | 'TaskPaused', Record<string, never>>;
type TaskCommand = { type: 'Start' } | { type: 'Heartbeat' } | { type: 'Pause' } | { type: 'StartAndPause' };
interface TaskState {
  started: boolean;
  paused: boolean;
  heartbeats: number;
}

const started: TaskEvent = { type: 'TaskStarted', version: 1, data: {} };
const heartbeat: TaskEvent = { type: 'HeartbeatRecorded', version: 1, data: {} };
const paused: TaskEvent = { type: 'TaskPaused', version: 1, data: {} };

const taskDecider: Decider<TaskState, TaskCommand, TaskEvent> = {
  initialState: () => ({ started: false, paused: false, heartbeats: 0 }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'TaskStarted':
        return { ...state, started: true };
      case 'HeartbeatRecorded':
        return { ...state, heartbeats: state.heartbeats + 1 };
      case 'TaskPaused':
        return { ...state, paused: true };
      default:
        throw new Error(`cannot fold ${(event as { type: string }).type}`); // proves isEvent filters
    }
  },
  decide: (command, state) => {
    if (command.type === 'Start' && state.started) throw conflict('TaskAlreadyStarted', 'task already started');
    if (command.type === 'Start') return [started];
    if (command.type === 'StartAndPause') return [started, paused];
    if (!state.started) throw conflict('TaskNotStarted', 'task not started');
    if (command.type === 'Heartbeat') return [heartbeat];
    return state.paused ? [] : [paused]; // pausing a paused task: nothing to do
  },
};

const isTaskEvent = (e: { type: string }) => ['TaskStarted', 'HeartbeatRecorded', 'TaskPaused'].includes(e.type);

/** The real SQLite adapter, in memory, behind a seam where a test can interfere with an append. */
function storeWithSeams() {
  const sqlite = new SqliteEventStore(new Database(':memory:'), systemClock);
  let beforeAppend: (() => Promise<void>) | null = null;
  const store: EventStore = {
    append: async (stream: string, events: readonly EventToAppend[], expected: ExpectedRevision) => {
      const before = beforeAppend;
      beforeAppend = null; // once
      await before?.();
      return sqlite.append(stream, events, expected);
    },
    readStream: (stream, options) => sqlite.readStream(stream, options),
    subscribeToAll: (options, handler, onError) => sqlite.subscribeToAll(options, handler, onError),
    headPosition: () => sqlite.headPosition(),
    comparePositions: (a, b) => sqlite.comparePositions(a, b),
    ping: () => sqlite.ping(),
    close: () => sqlite.close(),
  };
  return {
    store,
    sqlite,
    /** Runs `act` once, right before the next append reaches the store. */
    beforeNextAppend: (act: () => Promise<void>) => void (beforeAppend = act),
    close: () => sqlite.close(),
  };
}

describe('handleCommand', () => {
  const stream = 'task-1';
  let fixture: ReturnType<typeof storeWithSeams>;
  beforeEach(() => (fixture = storeWithSeams()));
  afterEach(() => fixture.close());

  const given = async (...events: EventToAppend[]) => {
    if (events.length) await fixture.sqlite.append(stream, events, 'any');
  };
  const when = (command: TaskCommand, options: Partial<HandleCommandOptions<TaskState>> = {}) =>
    handleCommand(fixture.store, taskDecider, stream, command, { commandId: randomUUID(), isEvent: isTaskEvent, ...options });
  const thenStream = async () => (await fixture.sqlite.readStream(stream)).map((e) => e.type);

  it('given nothing, when Start, then one append of its events with ids and metadata from the command', async () => {
    const commandId = randomUUID();
    const result = await when({ type: 'StartAndPause' }, { commandId, correlationId: 'corr-1', causationId: 'cause-1' });
    const stored = await fixture.sqlite.readStream(stream);
    expect(stored.map((e) => [e.id, e.type, e.metadata])).toEqual(
      [started, paused].map((e, i) => [commandEventId(commandId, i), e.type, { commandId, correlationId: 'corr-1', causationId: 'cause-1' }]),
    );
    expect(result).toEqual({
      state: { started: true, paused: true, heartbeats: 0 },
      events: [started, paused],
      nextExpectedRevision: 1,
      position: stored[1].position,
    });
  });

  it('appends all of a command’s events in one append, at the revision it read', async () => {
    await given(started);
    const append = jest.spyOn(fixture.store, 'append');
    await when({ type: 'Heartbeat' });
    expect(append).toHaveBeenCalledTimes(1);
    expect(append.mock.calls[0][2]).toBe(0);
  });

  it('given a state the caller loaded, decides on it at its revision without reading the stream again', async () => {
    await given(started);
    const read = jest.spyOn(fixture.store, 'readStream');
    const result = await when({ type: 'Heartbeat' }, { loaded: { state: { started: true, paused: false, heartbeats: 0 }, revision: 0 } });
    expect(read).not.toHaveBeenCalled();
    expect(result.nextExpectedRevision).toBe(1);
    expect(await thenStream()).toEqual(['TaskStarted', 'HeartbeatRecorded']);
  });

  it('given a loaded state that is stale, the append conflicts rather than deciding on what the caller did not see', async () => {
    await given(started, paused);
    const error = await when({ type: 'Heartbeat' }, { loaded: { state: { started: true, paused: false, heartbeats: 0 }, revision: 0 } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WrongExpectedRevisionError);
    expect(await thenStream()).toEqual(['TaskStarted', 'TaskPaused']);
  });

  it('defaults the correlation id to the command id and leaves causation out', async () => {
    const commandId = randomUUID();
    await when({ type: 'Start' }, { commandId });
    expect((await fixture.sqlite.readStream(stream))[0].metadata).toEqual({ commandId, correlationId: commandId });
  });

  it('files every event of a traced command under its traceparent, and a repeat of it appends nothing new', async () => {
    const commandId = randomUUID();
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    await when({ type: 'StartAndPause' }, { commandId, traceparent });
    const again = await when({ type: 'StartAndPause' }, { commandId, traceparent: '00-11111111111111111111111111111111-2222222222222222-01' });
    expect(again.appliedBefore).toBe(true);
    expect((await fixture.sqlite.readStream(stream)).map((e) => e.metadata)).toEqual([
      { commandId, correlationId: commandId, traceparent },
      { commandId, correlationId: commandId, traceparent },
    ]);
  });

  it('given a paused task, when Pause, then nothing is appended and the state comes back', async () => {
    await given(started, paused);
    const result = await when({ type: 'Pause' });
    expect(result).toEqual({
      state: { started: true, paused: true, heartbeats: 0 },
      events: [],
      nextExpectedRevision: 1,
      position: await fixture.sqlite.headPosition(),
    });
    expect(await thenStream()).toEqual(['TaskStarted', 'TaskPaused']);
  });

  it('given a started task, when Start, then the domain error propagates unchanged and nothing is appended', async () => {
    await given(started);
    const error = await when({ type: 'Start' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ kind: 'conflict', code: 'TaskAlreadyStarted' });
    expect(await thenStream()).toEqual(['TaskStarted']);
  });

  it('given the command already applied, when it comes again, then it is not decided again', async () => {
    const commandId = randomUUID();
    const first = await when({ type: 'Start' }, { commandId });
    await when({ type: 'Heartbeat' });
    const decide = jest.spyOn(taskDecider, 'decide');
    try {
      const again = await when({ type: 'Start' }, { commandId }); // deciding again would throw TaskAlreadyStarted
      expect(decide).not.toHaveBeenCalled();
      expect(again.events).toEqual(first.events);
      expect(again.state).toEqual({ started: true, paused: false, heartbeats: 1 });
      expect(again.nextExpectedRevision).toBe(1);
      // Observers (metrics) count only what was appended now.
      expect([first.appliedBefore, again.appliedBefore]).toEqual([undefined, true]);
    } finally {
      decide.mockRestore();
    }
    expect(await thenStream()).toEqual(['TaskStarted', 'HeartbeatRecorded']);
  });

  it('folds only the events isEvent picks', async () => {
    await given(started, { type: 'SomethingElse', version: 1, data: {} });
    const result = await when({ type: 'Heartbeat' });
    expect(result.state).toEqual({ started: true, paused: false, heartbeats: 1 });
    await expect(when({ type: 'Heartbeat' }, { isEvent: undefined })).rejects.toThrow('cannot fold SomethingElse');
  });

  describe('expected', () => {
    it('no_stream skips the read and creates the stream', async () => {
      const read = jest.spyOn(fixture.store, 'readStream');
      const result = await when({ type: 'Start' }, { expected: 'no_stream' });
      expect(read).not.toHaveBeenCalled();
      expect(result.nextExpectedRevision).toBe(0);
      expect(await thenStream()).toEqual(['TaskStarted']);
    });

    it('no_stream repeated with the same commandId is recognised by the store: the original result, stored once', async () => {
      const commandId = randomUUID();
      const first = await when({ type: 'Start' }, { commandId, expected: 'no_stream' });
      await when({ type: 'Heartbeat' });
      const again = await when({ type: 'Start' }, { commandId, expected: 'no_stream' });
      expect([again.nextExpectedRevision, again.position]).toEqual([first.nextExpectedRevision, first.position]);
      expect(await thenStream()).toEqual(['TaskStarted', 'HeartbeatRecorded']);
    });

    it('no_stream on an existing stream is a conflict', async () => {
      await given(started);
      await expect(when({ type: 'Start' }, { expected: 'no_stream' })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    });

    it('a revision other than the one read is a conflict, before deciding', async () => {
      await given(started, heartbeat);
      const decide = jest.spyOn(taskDecider, 'decide');
      try {
        await expect(when({ type: 'Pause' }, { expected: 0 })).rejects.toMatchObject({ expected: 0, actual: 1 });
        expect(decide).not.toHaveBeenCalled();
      } finally {
        decide.mockRestore();
      }
    });
  });

  describe('conflicts', () => {
    it('given a heartbeat landing between read and append, when Pause with a retry, then it re-reads, re-decides and lands', async () => {
      await given(started);
      fixture.beforeNextAppend(async () => void (await fixture.sqlite.append(stream, [heartbeat], 0)));
      const result = await when({ type: 'Pause' }, { retryOnConflict: 1 });
      expect(result.state).toEqual({ started: true, paused: true, heartbeats: 1 });
      expect(result.nextExpectedRevision).toBe(2);
      expect(await thenStream()).toEqual(['TaskStarted', 'HeartbeatRecorded', 'TaskPaused']);
    });

    it('with retryOnConflict 0 (the default), the WrongExpectedRevisionError surfaces', async () => {
      await given(started);
      fixture.beforeNextAppend(async () => void (await fixture.sqlite.append(stream, [heartbeat], 0)));
      await expect(when({ type: 'Pause' })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      expect(await thenStream()).toEqual(['TaskStarted', 'HeartbeatRecorded']);
    });

    it('gives up after retryOnConflict re-reads', async () => {
      await given(started);
      let interfere = 3;
      const spoil = async (): Promise<void> => {
        await fixture.sqlite.append(stream, [heartbeat], 'any');
        if (--interfere > 0) fixture.beforeNextAppend(spoil);
      };
      fixture.beforeNextAppend(spoil);
      await expect(when({ type: 'Pause' }, { retryOnConflict: 2 })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    });

    it('two concurrent commands with retryOnConflict both land', async () => {
      await given(started);
      // Both read revision 0 before either appends; the group commit makes one of them lose.
      const append = jest.spyOn(fixture.store, 'append');
      const [pause, beat] = await Promise.all([when({ type: 'Pause' }, { retryOnConflict: 1 }), when({ type: 'Heartbeat' }, { retryOnConflict: 1 })]);
      expect([pause.nextExpectedRevision, beat.nextExpectedRevision].sort()).toEqual([1, 2]);
      expect((await thenStream()).slice(1).sort()).toEqual(['HeartbeatRecorded', 'TaskPaused']);
      expect(append).toHaveBeenCalledTimes(3); // one lost the race and went round again
    });
  });

  describe('an append whose outcome is unknown', () => {
    it('that landed is retried once with the same ids and revision, and returns the original result', async () => {
      await given(started);
      const append = jest.spyOn(fixture.store, 'append');
      append.mockImplementationOnce(async (s, events, expected) => {
        await fixture.sqlite.append(s, events, expected); // it landed...
        throw new Error('deadline exceeded'); // ...but the answer was lost
      });
      const result = await when({ type: 'Pause' });
      expect(append).toHaveBeenCalledTimes(2);
      expect(append.mock.calls[1]).toEqual(append.mock.calls[0]);
      expect(result.nextExpectedRevision).toBe(1);
      expect(await thenStream()).toEqual(['TaskStarted', 'TaskPaused']);
    });

    it('that did not land is written by the retry', async () => {
      await given(started);
      jest.spyOn(fixture.store, 'append').mockRejectedValueOnce(new Error('connection lost'));
      await when({ type: 'Pause' });
      expect(await thenStream()).toEqual(['TaskStarted', 'TaskPaused']);
    });

    it('is retried only once', async () => {
      await given(started);
      jest.spyOn(fixture.store, 'append').mockRejectedValueOnce(new Error('connection lost')).mockRejectedValueOnce(new Error('still lost'));
      await expect(when({ type: 'Pause' })).rejects.toThrow('still lost');
      expect(await thenStream()).toEqual(['TaskStarted']);
    });
  });

  describe('from a snapshot (long-lived aggregates)', () => {
    /** A snapshot source in memory that records what it was asked. */
    const snapshotsAt = (snapshot: { state: TaskState; revision: number } | null, every = 3) => {
      const saved: { state: TaskState; revision: number }[] = [];
      return {
        saved,
        source: { every, load: async () => snapshot, save: async (state: TaskState, revision: number) => void saved.push({ state, revision }) },
      };
    };

    it('decides on the snapshot plus the events after it, reading only those', async () => {
      await given(started, heartbeat, heartbeat, heartbeat);
      // The snapshot says 10 heartbeats at revision 2 (a fold the log does not show): only revision 3 is read on top.
      const { source } = snapshotsAt({ state: { started: true, paused: false, heartbeats: 10 }, revision: 2 }, 100);
      const read = jest.spyOn(fixture.store, 'readStream');
      const result = await when({ type: 'Heartbeat' }, { snapshots: source });
      expect(read).toHaveBeenCalledWith(stream, { fromRevision: 3 });
      expect(result.state).toEqual({ started: true, paused: false, heartbeats: 12 });
      expect(result.nextExpectedRevision).toBe(4);
    });

    it('saves a newer snapshot of the state a command was decided on once `every` events lie past the last one', async () => {
      await given(started, heartbeat);
      const { source, saved } = snapshotsAt({ state: { started: true, paused: false, heartbeats: 1 }, revision: 1 }, 3);
      await when({ type: 'Heartbeat' }, { snapshots: source }); // decided at revision 1, appends 2
      await when({ type: 'Heartbeat' }, { snapshots: source }); // decided at 2, appends 3
      await when({ type: 'Heartbeat' }, { snapshots: source }); // decided at 3, appends 4
      expect(saved).toEqual([]);
      await when({ type: 'Heartbeat' }, { snapshots: source }); // decided at 4: three past the snapshot
      expect(saved).toEqual([{ state: { started: true, paused: false, heartbeats: 4 }, revision: 4 }]);
    });

    it('recognises a retried command even when its first run saved a snapshot', async () => {
      await given(started);
      let stored: { state: TaskState; revision: number } | null = null;
      const source = { every: 1, load: async () => stored, save: async (state: TaskState, revision: number) => void (stored = { state, revision }) };
      const commandId = randomUUID();
      await when({ type: 'Heartbeat' }, { commandId, snapshots: source });
      const again = await when({ type: 'Heartbeat' }, { commandId, snapshots: source });
      expect(again.events).toEqual([heartbeat]);
      expect(await thenStream()).toEqual(['TaskStarted', 'HeartbeatRecorded']);
    });

    it('recognises a repeated command among the events after the snapshot', async () => {
      await given(started);
      const { source } = snapshotsAt({ state: { started: true, paused: false, heartbeats: 0 }, revision: 0 }, 100);
      const commandId = randomUUID();
      await when({ type: 'Heartbeat' }, { commandId, snapshots: source });
      const again = await when({ type: 'Heartbeat' }, { commandId, snapshots: source });
      expect(again.events).toEqual([heartbeat]);
      expect(await thenStream()).toEqual(['TaskStarted', 'HeartbeatRecorded']);
    });

    it('does not fail the command when the snapshot cannot be saved (the log stays the truth)', async () => {
      await given(started);
      const failing = { every: 1, load: async () => null, save: async () => Promise.reject(new Error('disk full')) };
      await expect(when({ type: 'Heartbeat' }, { snapshots: failing })).resolves.toMatchObject({ nextExpectedRevision: 1 });
    });
  });

  it('refuses a commandId that is not a UUID', async () => {
    await expect(when({ type: 'Start' }, { commandId: 'cmd-1' })).rejects.toThrow(TypeError);
  });
});
