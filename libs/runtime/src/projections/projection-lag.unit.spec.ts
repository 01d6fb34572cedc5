import { EventStore, EventsBetweenOptions } from '@herald/event-store';
import { Metrics } from '@herald/platform';
import { ProjectionHost } from './projection-host';
import { ProjectionLagMetrics, projectionLag } from './projection-lag';

const between = (after: string | null, until: string) => Number(until) - (after === null ? 0 : Number(after));

describe('projectionLag', () => {
  it('is the events from where a projection has read to the head', async () => {
    expect(await projectionLag(between, '7', '10')).toBe(3);
    expect(await projectionLag(between, null, '10')).toBe(10); // nothing read yet: the whole log
  });

  it('is 0 at the head, on an empty log, and never negative (a head read before the projection moved on)', async () => {
    expect(await projectionLag(between, '10', '10')).toBe(0);
    expect(await projectionLag(between, null, null)).toBe(0);
    expect(await projectionLag(between, '12', '10')).toBe(0);
  });

  it('takes a count that answers later (EventStoreDB reads the log to count)', async () => {
    expect(await projectionLag(async (after, until) => between(after, until), '4', '10')).toBe(6);
  });
});

describe('ProjectionLagMetrics (computed at scrape time)', () => {
  type Position = { name: string; position: string | null; categories?: string[] };
  const host = (positions: Position[]) =>
    ({ readPositions: () => positions.map((p) => ({ categories: ['thing-'], ...p })) }) as unknown as ProjectionHost;
  const lagLines = async (metrics: Metrics) => (await metrics.render()).split('\n').filter((l) => l.startsWith('herald_projection_lag_events{'));

  it('reports each running projection against one head read per scrape, counting its own categories', async () => {
    const headPosition = jest.fn(async () => '10');
    const eventsBetween = jest.fn((after: string | null, until: string, _options?: EventsBetweenOptions) => between(after, until));
    const events = { headPosition, eventsBetween } as unknown as EventStore;
    const metrics = new Metrics({ defaultMetrics: false });
    new ProjectionLagMetrics(
      host([
        { name: 'query.views', position: '10' },
        { name: 'scheduler.timers', position: '4', categories: ['timer-', 'thing-'] },
      ]),
      events,
      metrics,
    );
    expect(await lagLines(metrics)).toEqual([
      'herald_projection_lag_events{projection="query.views"} 0',
      'herald_projection_lag_events{projection="scheduler.timers"} 6',
    ]);
    expect(headPosition).toHaveBeenCalledTimes(1);
    expect(eventsBetween.mock.calls).toEqual([
      ['10', '10', { streamPrefixes: ['thing-'] }],
      ['4', '10', { streamPrefixes: ['timer-', 'thing-'] }],
    ]);
  });

  it('awaits a count that is a promise (EventStoreDB), one count for projections at one position reading the same categories', async () => {
    const at = '00000000000000000400:00000000000000000400';
    const eventsBetween = jest.fn(async () => 7);
    const events = { headPosition: async () => '00000000000000000900:00000000000000000900', eventsBetween } as unknown as EventStore;
    const metrics = new Metrics({ defaultMetrics: false });
    new ProjectionLagMetrics(
      host([
        { name: 'reminder.views', position: at },
        { name: 'reminder.callbacks', position: at },
        { name: 'task.views', position: at, categories: ['task-'] },
      ]),
      events,
      metrics,
    );
    expect(await lagLines(metrics)).toEqual([
      'herald_projection_lag_events{projection="reminder.views"} 7',
      'herald_projection_lag_events{projection="reminder.callbacks"} 7',
      'herald_projection_lag_events{projection="task.views"} 7',
    ]);
    expect(eventsBetween).toHaveBeenCalledTimes(2); // the two reminder projections share one read of the log
  });

  it("keeps the other projections' series when one projection's count fails", async () => {
    const events = {
      headPosition: async () => '10',
      eventsBetween: async (after: string | null, until: string, options?: EventsBetweenOptions) => {
        if (options?.streamPrefixes?.includes('broken-')) throw new Error('read of $all failed');
        return between(after, until);
      },
    } as unknown as EventStore;
    const metrics = new Metrics({ defaultMetrics: false });
    new ProjectionLagMetrics(
      host([
        { name: 'fine', position: '8' },
        { name: 'broken', position: '2', categories: ['broken-'] },
      ]),
      events,
      metrics,
    );
    expect(await lagLines(metrics)).toEqual(['herald_projection_lag_events{projection="fine"} 2']);
  });

  it('has no series, and reads no head, where the store cannot count', async () => {
    const headPosition = jest.fn(async () => '10');
    const metrics = new Metrics({ defaultMetrics: false });
    new ProjectionLagMetrics(host([{ name: 'query.views', position: null }]), { headPosition } as unknown as EventStore, metrics);
    expect(await lagLines(metrics)).toEqual([]);
    expect(headPosition).not.toHaveBeenCalled();
  });

  it('drops its values rather than report stale ones when the log cannot be read, and the scrape still answers', async () => {
    let down = false;
    const events = {
      headPosition: async () => (down ? Promise.reject(new Error('log down')) : '5'),
      eventsBetween: between,
    } as unknown as EventStore;
    const metrics = new Metrics({ defaultMetrics: false });
    new ProjectionLagMetrics(host([{ name: 'query.views', position: '2' }]), events, metrics);
    expect(await lagLines(metrics)).toEqual(['herald_projection_lag_events{projection="query.views"} 3']);
    down = true;
    expect(await lagLines(metrics)).toEqual([]);
  });
});
