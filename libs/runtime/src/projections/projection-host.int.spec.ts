import { systemClock } from '@herald/kernel';
import { RecordedEvent, SqliteCheckpointStore, SqliteEventStore } from '@herald/event-store';
import { HealthRegistry, loadConfig, openSqlite } from '@herald/platform';
import { eventually } from '@herald/testing';
import { ProjectionDefinition } from './projection';
import { ProjectionHost } from './projection-host';

describe('ProjectionHost', () => {
  const event = (n: number, type = 'ThingHappened') => ({ type, version: 1, data: { n } });
  let store: SqliteEventStore;
  let health: HealthRegistry;
  let host: ProjectionHost;

  beforeEach(() => {
    store = new SqliteEventStore(openSqlite(':memory:'), systemClock, { pollIntervalMs: 10 });
    health = new HealthRegistry();
    host = new ProjectionHost(
      store,
      new SqliteCheckpointStore(openSqlite(':memory:')),
      health,
      loadConfig({ PROJECTION_MAX_TRIES: '2', PROJECTION_RETRY_BASE_MS: '1' }),
      true,
    );
  });
  afterEach(async () => {
    await host.onModuleDestroy();
    await store.close();
  });

  /** A projection of `thing-` streams that records what it saw and refuses events of type Poison. */
  const recorder = (name: string): ProjectionDefinition & { seen: number[] } => {
    const seen: number[] = [];
    return {
      name,
      categories: ['thing-'],
      seen,
      truncate: async () => void (seen.length = 0),
      handle: async (events: RecordedEvent[]) => {
        if (events.some((e) => e.type === 'Poison')) throw new Error('cannot project a Poison');
        seen.push(...events.map((e) => (e.data as { n: number }).n));
      },
    };
  };

  it('refuses two projections with one name: they would share a checkpoint', () => {
    host.register(recorder('views'));
    expect(() => host.register(recorder('views'))).toThrow(/registered twice/);
  });

  it('runs each projection over its categories, with a health probe named after it', async () => {
    const views = recorder('views');
    host.register(views);
    await host.onApplicationBootstrap();
    await store.append('thing-1', [event(1), event(2)], 'no_stream');
    await store.append('other-1', [event(3)], 'no_stream');
    await eventually(
      () => views.seen,
      (s) => s.length === 2,
    );
    const probe = health.all().find((p) => p.name === 'views')!;
    expect(await probe.check()).toMatchObject({ handled: 2, parked: 0 });
  });

  it('lets the events of a gathering projection (a read model) gather for PROJECTION_BATCH_WINDOW_MS; others read on at once', async () => {
    const windowed = new ProjectionHost(
      store,
      new SqliteCheckpointStore(openSqlite(':memory:')),
      new HealthRegistry(),
      loadConfig({ PROJECTION_BATCH_WINDOW_MS: '1000' }),
      true,
    );
    const batchesOf = (name: string, gathers: 'readModel' | undefined) => {
      const batches: number[][] = [];
      windowed.register({ ...recorder(name), gathers, handle: async (events) => void batches.push(events.map((e) => (e.data as { n: number }).n)) });
      return batches;
    };
    const views = batchesOf('views', 'readModel');
    const timers = batchesOf('timers', undefined);
    await windowed.onApplicationBootstrap();
    try {
      await store.append('thing-1', [event(1)], 'no_stream');
      await eventually(
        () => views.length + timers.length,
        (n) => n === 2,
      );
      for (const n of [2, 3, 4]) {
        await store.append(`thing-${n}`, [event(n)], 'no_stream');
        await eventually(
          () => timers.flat(),
          (seen) => seen.includes(n),
          { what: `the timers projection to read ${n} without waiting` },
        );
      }
      expect(views).toEqual([[1]]); // held by the window while the other projection read each event
      await eventually(
        () => views.length,
        (n) => n === 2,
        { what: 'the gathered batch' },
      );
      expect(views).toEqual([[1], [2, 3, 4]]);
    } finally {
      await windowed.onModuleDestroy();
    }
  });

  it('parks an event that keeps failing on a healthy store, carries on, and shows it in /health', async () => {
    const views = recorder('views');
    host.register(views);
    await host.onApplicationBootstrap();
    await store.append('thing-1', [event(1), event(2, 'Poison'), event(3)], 'no_stream');
    await eventually(
      () => views.seen,
      (s) => s.length === 2,
    );
    expect(views.seen).toEqual([1, 3]);
    const details = await health
      .all()
      .find((p) => p.name === 'views')!
      .check();
    expect(details).toMatchObject({ parked: 1, lastParked: { stream: 'thing-1', revision: 1, type: 'Poison', error: 'cannot project a Poison' } });
  });
});
