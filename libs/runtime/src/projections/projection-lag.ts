import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, EventStore, LogPosition } from '@herald/event-store';
import { Metrics } from '@herald/platform';
import { ProjectionHost } from './projection-host';

export const PROJECTION_LAG_METRIC = 'herald_projection_lag_events';

/**
 * How many events of the log a projection has yet to read: from where it has
 * read to (its last handled event, or further when it passed over other
 * categories' events) to the head. 0 when the log is empty or it is at the
 * head. `between` is the store's own count (EventStore.eventsBetween).
 */
export function projectionLag(
  between: (after: LogPosition | null, until: LogPosition) => number,
  readTo: LogPosition | null,
  head: LogPosition | null,
): number {
  return head === null ? 0 : Math.max(0, between(readTo, head));
}

/**
 * `herald_projection_lag_events{projection}`, computed when Prometheus
 * scrapes (a collect callback), never on the projections' own path: one read
 * of the log's head position per scrape (SQLite: MAX of the primary key),
 * then arithmetic on positions per projection. Per process: each replica
 * reports the projections it runs.
 *
 * Only where positions count events (the SQLite log). EventStoreDB's
 * positions are byte offsets, so there the gauge has no series (and no head
 * is read); `/health` still shows each projection's position.
 */
@Injectable()
export class ProjectionLagMetrics {
  constructor(host: ProjectionHost, @Inject(EVENT_STORE) events: EventStore, metrics: Metrics) {
    const between = events.eventsBetween?.bind(events);
    metrics.gauge({
      name: PROJECTION_LAG_METRIC,
      help: 'Events in the log after the last one this projection has read (the log head minus its position); 0 when caught up. SQLite log only.',
      labelNames: ['projection'],
      async collect() {
        this.reset();
        if (!between) return;
        let head: LogPosition | null;
        try {
          head = await events.headPosition();
        } catch {
          return; // the log is unreachable: no value rather than a stale one (and /health says why)
        }
        for (const { name, position } of host.readPositions()) this.set({ projection: name }, projectionLag(between, position, head));
      },
    });
  }
}
