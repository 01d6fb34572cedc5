import Database from 'better-sqlite3';
import { SqliteEventStore } from '@herald/event-store';
import { Decider, DomainEvent, systemClock } from '@herald/kernel';
import { AggregateType, Appended, CommandRunner } from './command-runner';

type Tallied = DomainEvent<'Tallied', { by: number }>;
type Tally = { type: 'Tally'; by: number };
const tally: Decider<{ total: number }, Tally, Tallied> = {
  initialState: () => ({ total: 0 }),
  evolve: (state, event) => ({ total: state.total + event.data.by }),
  // Tallying by 0 changes nothing: no event.
  decide: (command) => (command.by === 0 ? [] : [{ type: 'Tallied', version: 1, data: { by: command.by } }]),
};
const TALLY: AggregateType<{ total: number }, Tally, Tallied> = {
  decider: tally,
  streamOf: (id) => `tally-${id}`,
  isEvent: (e) => e.type === 'Tallied',
};
const OTHER: AggregateType<{ total: number }, Tally, Tallied> = { ...TALLY, streamOf: (id) => `other-${id}` };

describe('CommandRunner observers (what metrics count appends with)', () => {
  const db = new Database(':memory:');
  const runner = new CommandRunner(new SqliteEventStore(db, systemClock));
  const seen: Appended<{ total: number }, Tallied>[] = [];
  runner.observe(TALLY, (appended) => void seen.push(appended));
  beforeEach(() => (seen.length = 0));
  afterAll(() => db.close());

  it('reports each command that appended, with its events and the state after them, and only for its aggregate', async () => {
    await runner.run(TALLY, 'a', { type: 'Tally', by: 2 });
    await runner.run(TALLY, 'a', { type: 'Tally', by: 3 });
    await runner.run(OTHER, 'a', { type: 'Tally', by: 7 });
    expect(seen).toEqual([
      { id: 'a', events: [{ type: 'Tallied', version: 1, data: { by: 2 } }], state: { total: 2 } },
      { id: 'a', events: [{ type: 'Tallied', version: 1, data: { by: 3 } }], state: { total: 5 } },
    ]);
  });

  it('does not report a command that appended nothing, nor one recognised as applied before', async () => {
    await runner.run(TALLY, 'b', { type: 'Tally', by: 0 });
    const commandId = '0b6f1c1e-8a55-4a4f-9d4e-3f2a1b0c9d8e';
    await runner.run(TALLY, 'b', { type: 'Tally', by: 1 }, { commandId });
    const again = await runner.run(TALLY, 'b', { type: 'Tally', by: 1 }, { commandId }); // a redelivered message
    expect(again.appliedBefore).toBe(true);
    expect(seen.map((s) => s.state)).toEqual([{ total: 1 }]);
  });

  it('never fails a command because an observer threw', async () => {
    const throwing = new CommandRunner(new SqliteEventStore(db, systemClock));
    throwing.observe(TALLY, () => {
      throw new Error('observer bug');
    });
    await expect(throwing.run(TALLY, 'c', { type: 'Tally', by: 4 })).resolves.toMatchObject({ state: { total: 4 } });
  });
});
