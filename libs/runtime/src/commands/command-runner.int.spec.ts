import Database from 'better-sqlite3';
import { SqliteEventStore, SqliteSnapshotStore } from '@herald/event-store';
import { Decider, DomainEvent, systemClock } from '@herald/kernel';
import { AggregateType, CommandRunner } from './command-runner';

type Counted = DomainEvent<'Counted', { by: number }>;
const counter: Decider<{ total: number }, { type: 'Count'; by: number }, Counted> = {
  initialState: () => ({ total: 0 }),
  evolve: (state, event) => ({ total: state.total + event.data.by }),
  decide: (command) => [{ type: 'Counted', version: 1, data: { by: command.by } }],
};
const COUNTER: AggregateType<{ total: number }, { type: 'Count'; by: number }, Counted> = {
  decider: counter,
  streamOf: (id) => `counter-${id}`,
  isEvent: (e) => e.type === 'Counted',
  snapshots: { every: 3, version: 1 },
};

describe('CommandRunner with snapshots (SQLite event and snapshot stores)', () => {
  const db = new Database(':memory:');
  const events = new SqliteEventStore(db, systemClock);
  const snapshots = new SqliteSnapshotStore(db);
  const runner = new CommandRunner(events, snapshots);
  afterAll(() => db.close());

  it('saves a snapshot every `every` events, and loads from it plus what came after', async () => {
    for (let i = 1; i <= 7; i++) await runner.run(COUNTER, 'a', { type: 'Count', by: i });
    // Saved at revisions 2 (3 events) and 5 (3 more); revision 6 is one past the last.
    expect(await snapshots.load('counter-a')).toEqual({ stream: 'counter-a', revision: 5, version: 1, state: { total: 21 } });
    const read = jest.spyOn(events, 'readStream');
    // `recorded`: only the events read, those after the snapshot.
    expect(await runner.load(COUNTER, 'a')).toEqual({ state: { total: 28 }, revision: 6, recorded: [expect.objectContaining({ revision: 6 })] });
    expect(read).toHaveBeenCalledWith('counter-a', { fromRevision: 6 });
    read.mockRestore();
  });

  it('ignores a snapshot of another version: the fold starts from the log', async () => {
    await runner.run(COUNTER, 'b', { type: 'Count', by: 5 });
    await snapshots.save({ stream: 'counter-b', revision: 0, version: 99, state: { total: 1_000 } });
    expect((await runner.load(COUNTER, 'b')).state).toEqual({ total: 5 });
    expect((await runner.run(COUNTER, 'b', { type: 'Count', by: 1 })).state).toEqual({ total: 6 });
  });
});

describe('CommandRunner and trace context', () => {
  const db = new Database(':memory:');
  const events = new SqliteEventStore(db, systemClock);
  const runner = new CommandRunner(events);
  afterAll(() => db.close());
  const traceOf = async (id: string) => (await events.readStream(`counter-${id}`)).map((e) => e.metadata.traceparent);

  it("files a command's events under the traceparent its caller names, else under none (no ambient context is read)", async () => {
    const named = '00-11111111111111111111111111111111-2222222222222222-01';
    await runner.run(COUNTER, 'traced', { type: 'Count', by: 1 }, { traceparent: named });
    await runner.run(COUNTER, 'traced', { type: 'Count', by: 2 });
    expect(await traceOf('traced')).toEqual([named, undefined]);
  });
});
