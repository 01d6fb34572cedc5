import { EventStore } from '@herald/event-store';
import { Metrics } from '@herald/platform';
import { ProjectionHost } from './projection-host';
import { ProjectionLagMetrics, projectionLag } from './projection-lag';

const between = (after: string | null, until: string) => Number(until) - (after === null ? 0 : Number(after));

describe('projectionLag', () => {
  it('is the events from where a projection has read to the head', () => {
    expect(projectionLag(between, '7', '10')).toBe(3);
    expect(projectionLag(between, null, '10')).toBe(10); // nothing read yet: the whole log
  });

  it('is 0 at the head, on an empty log, and never negative (a head read before the projection moved on)', () => {
    expect(projectionLag(between, '10', '10')).toBe(0);
    expect(projectionLag(between, null, null)).toBe(0);
    expect(projectionLag(between, '12', '10')).toBe(0);
  });
});

describe('ProjectionLagMetrics (computed at scrape time)', () => {
  const host = (positions: { name: string; position: string | null }[]) => ({ readPositions: () => positions }) as unknown as ProjectionHost;
  const lagLines = async (metrics: Metrics) => (await metrics.render()).split('\n').filter((l) => l.startsWith('herald_projection_lag_events{'));

  it('reports each running projection against one head read per scrape', async () => {
    const headPosition = jest.fn(async () => '10');
    const events = { headPosition, eventsBetween: between } as unknown as EventStore;
    const metrics = new Metrics({ defaultMetrics: false });
    new ProjectionLagMetrics(
      host([
        { name: 'query.views', position: '10' },
        { name: 'scheduler.timers', position: '4' },
      ]),
      events,
      metrics,
    );
    expect(await lagLines(metrics)).toEqual([
      'herald_projection_lag_events{projection="query.views"} 0',
      'herald_projection_lag_events{projection="scheduler.timers"} 6',
    ]);
    expect(headPosition).toHaveBeenCalledTimes(1);
  });

  it('has no series where positions do not count events (EventStoreDB), and reads no head there', async () => {
    const headPosition = jest.fn(async () => '00000000000000001234:00000000000000001234');
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
