import { systemClock } from '@herald/kernel';
import { RecordedEvent, SqliteCheckpointStore, SqliteEventStore } from '@herald/event-store';
import { openSqlite } from '@herald/platform';
import { SqliteTimeIndex } from '@herald/scheduling';
import { rebuildProjection } from '../projections/rebuild';
import { dueEntriesProjection } from './due-entries.projection';

/** Timers projections share one time index: rebuilding one (npm run replay -- --projection <name>) must leave the others' entries. */
describe('dueEntriesProjection on a shared SQLite time index', () => {
  let events: SqliteEventStore;
  let checkpoints: SqliteCheckpointStore;
  let index: SqliteTimeIndex;
  let now: number;

  beforeEach(() => {
    now = 0;
    events = new SqliteEventStore(openSqlite(':memory:'), systemClock, { pollIntervalMs: 10 });
    checkpoints = new SqliteCheckpointStore(openSqlite(':memory:'));
    index = new SqliteTimeIndex(openSqlite(':memory:'));
  });
  afterEach(() => events.close());

  /** Each `<category>-<id>` stream's Planned event puts an entry of `topic` keyed by the id, due at its `at`. */
  const timers = (category: string, topic: string, topics: readonly string[] = [topic]) =>
    dueEntriesProjection({
      name: `scheduler.${category}-timers`,
      categories: [`${category}-`],
      topics,
      index,
      changeOf: (e: RecordedEvent) => ({
        put: { topic, key: e.stream.slice(category.length + 1), sequence: e.revision, dueAt: (e.data as { at: number }).at },
      }),
    });
  const plan = (stream: string, at: number) => events.append(stream, [{ type: 'Planned', version: 1, data: { at } }], 'no_stream');
  /** Every entry in the index: claimed later each time, after the last call's claims have lapsed. */
  const pending = async () => {
    now += 10_000;
    const entries = await index.claimDue({ now, until: now, limit: 10, claimTtlMs: 1_000 });
    return entries.map((e) => `${e.topic}/${e.key}`).sort();
  };

  it('rebuilds its own topics and keeps the entries of the projections not rebuilt', async () => {
    const alarms = timers('alarm', 'alarms');
    const chimes = timers('chime', 'chimes');
    await plan('alarm-a', 100);
    await plan('chime-c', 200);
    for (const projection of [alarms, chimes]) await rebuildProjection(events, checkpoints, projection);
    expect(await pending()).toEqual(['alarms/a', 'chimes/c']);
    await index.put({ topic: 'alarms', key: 'stale', sequence: 0, dueAt: 50 }); // no event behind it: the rebuild drops it

    const report = await rebuildProjection(events, checkpoints, alarms);

    expect(report.events).toBe(1);
    expect(await pending()).toEqual(['alarms/a', 'chimes/c']);
  });

  it('refuses an entry of a topic it does not declare, which a rebuild of it would leave behind', async () => {
    await plan('alarm-a', 100);
    const misdeclared = timers('alarm', 'alarms', ['sirens']);
    await expect(rebuildProjection(events, checkpoints, misdeclared)).rejects.toThrow(/writes time index topic alarms, not among its topics sirens/);
    expect(await index.size()).toBe(0);
  });
});
