import { systemClock } from '@herald/kernel';
import { SqliteCheckpointStore, SqliteEventStore } from '@herald/event-store';
import { HealthRegistry, Metrics, loadConfig, openSqlite } from '@herald/platform';
import { eventually } from '@herald/testing';
import { ProjectionHost } from './projection-host';
import { ProjectionLagMetrics } from './projection-lag';

/** The lag gauge over a real SQLite log: its categories' events behind the head, not events of other categories. */
describe('projection lag over SQLite', () => {
  const event = (n: number) => ({ type: 'ThingHappened', version: 1, data: { n } });
  let store: SqliteEventStore;
  let host: ProjectionHost;
  let metrics: Metrics;
  let release: () => void;
  let gate: Promise<void>;

  beforeEach(() => {
    store = new SqliteEventStore(openSqlite(':memory:'), systemClock, { pollIntervalMs: 10 });
    host = new ProjectionHost(store, new SqliteCheckpointStore(openSqlite(':memory:')), new HealthRegistry(), loadConfig({}), true);
    metrics = new Metrics({ defaultMetrics: false });
    new ProjectionLagMetrics(host, store, metrics);
    gate = Promise.resolve();
  });
  afterEach(async () => {
    release?.();
    await host.onModuleDestroy();
    await store.close();
  });

  const lag = async (projection: string) => {
    const line = (await metrics.render()).split('\n').find((l) => l.startsWith(`herald_projection_lag_events{projection="${projection}"} `));
    return line === undefined ? undefined : Number(line.split(' ').at(-1));
  };

  it('is 0 for a caught-up projection of a quiet category while other categories keep being appended', async () => {
    host.register({ name: 'things', categories: ['thing-'], handle: async () => undefined, truncate: async () => undefined });
    await store.append('thing-1', [event(1)], 'no_stream');
    await host.onApplicationBootstrap();
    await eventually(
      () => lag('things'),
      (n) => n === 0,
      { what: 'things caught up' },
    );
    for (let i = 0; i < 20; i++) await store.append(`other-${i}`, [event(i)], 'no_stream');
    // Its last own event is 20 positions back: those are not its lag, before or after it scans past them.
    expect(await lag('things')).toBe(0);
    const head = await store.headPosition();
    await eventually(
      () => host.readPositions()[0].position,
      (position) => position === head,
      { what: 'things read past the other categories' },
    );
    expect(await lag('things')).toBe(0);
    expect(host.readPositions()).toEqual([{ name: 'things', position: head, categories: ['thing-'] }]);
  });

  it('counts the events a projection has yet to read while it is held up', async () => {
    gate = new Promise((resolve) => (release = resolve));
    host.register({
      name: 'slow',
      categories: ['thing-'],
      handle: () => gate,
      truncate: async () => undefined,
    });
    await store.append('thing-1', [event(1), event(2)], 'no_stream');
    await store.append('other-1', [event(0)], 'no_stream');
    await store.append('thing-2', [event(3)], 'no_stream');
    await host.onApplicationBootstrap();
    // Its first batch is in its handler: nothing read past yet, three events of its own behind.
    expect(await lag('slow')).toBe(3);
    for (let i = 0; i < 5; i++) await store.append(`other-${i + 2}`, [event(i)], 'no_stream');
    expect(await lag('slow')).toBe(3); // other categories' events are not its lag
    release();
    await eventually(
      () => lag('slow'),
      (n) => n === 0,
      { what: 'slow caught up once released' },
    );
  });
});
