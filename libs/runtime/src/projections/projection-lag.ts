import { Inject, Injectable, Logger } from '@nestjs/common';
import { EVENTS_BETWEEN_SCAN_LIMIT, EVENT_STORE, EventStore, LogPosition } from '@herald/event-store';
import { Metrics } from '@herald/platform';
import { ProjectionHost } from './projection-host';

export const PROJECTION_LAG_METRIC = 'herald_projection_lag_events';

/**
 * How many events of its categories a projection has yet to handle: those
 * after where it has read to (its last handled event, or further when it
 * passed over other categories' events) up to the head. 0 when the log is
 * empty or it is at the head. `count` is the store's own
 * (EventStore.eventsBetween, given the projection's categories): a lower
 * bound when the store stopped at its scan limit.
 */
export async function projectionLag(
  count: (after: LogPosition | null, until: LogPosition) => number | Promise<number>,
  readTo: LogPosition | null,
  head: LogPosition | null,
): Promise<number> {
  return head === null ? 0 : Math.max(0, await count(readTo, head));
}

/**
 * `herald_projection_lag_events{projection}`, computed when Prometheus
 * scrapes (a collect callback), never on the projections' own path: one read
 * of the log's head per scrape, then one count per projection
 * (EventStore.eventsBetween with its categories; projections at the same
 * position reading the same categories share one). Per process: each replica
 * reports the projections it runs.
 *
 * What a count costs: SQLite, a primary-key range of at most
 * EVENTS_BETWEEN_SCAN_LIMIT rows; EventStoreDB, a read of $all forwards from
 * the projection's last handled event, of at most that many events. Past the
 * limit the value is a lower bound ("at least N").
 *
 * A projection whose count fails has no series in that scrape (logged at
 * debug); the others keep theirs. When the head cannot be read there is no
 * series at all rather than a stale one (`/health` says why).
 */
@Injectable()
export class ProjectionLagMetrics {
  constructor(host: ProjectionHost, @Inject(EVENT_STORE) events: EventStore, metrics: Metrics) {
    const between = events.eventsBetween?.bind(events);
    const logger = new Logger('Projections');
    metrics.gauge({
      name: PROJECTION_LAG_METRIC,
      help: `Events of a projection's categories in the log after the last one it has read, up to the head; 0 when caught up. A lower bound past ${EVENTS_BETWEEN_SCAN_LIMIT} events scanned.`,
      labelNames: ['projection'],
      async collect() {
        const lags = await collectLags();
        this.reset();
        for (const { name, lag } of lags) this.set({ projection: name }, lag);
      },
    });

    async function collectLags(): Promise<{ name: string; lag: number }[]> {
      const count = between;
      if (!count) return []; // a store that cannot count (a test double): no series
      let head: LogPosition | null;
      try {
        head = await events.headPosition();
      } catch {
        return []; // the log is unreachable: no value rather than a stale one (and /health says why)
      }
      const counts = new Map<string, Promise<number>>();
      const lags = await Promise.all(
        host.readPositions().map(async ({ name, position, categories }) => {
          const key = JSON.stringify([position, categories]);
          let lag = counts.get(key);
          if (!lag) {
            const streamPrefixes = categories.length > 0 ? categories : undefined;
            lag = projectionLag((after, until) => count(after, until, { streamPrefixes }), position, head);
            counts.set(key, lag);
          }
          try {
            return [{ name, lag: await lag }];
          } catch (err) {
            logger.debug({ err, projection: name }, `${name}: lag not counted this scrape`);
            return [];
          }
        }),
      );
      return lags.flat(); // in the host's order
    }
  }
}
