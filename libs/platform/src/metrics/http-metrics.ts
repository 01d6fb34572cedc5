import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Metrics } from './metrics';

/** What an unmatched request (a 404 from the not-found handler) is counted under. */
export const UNMATCHED_ROUTE = 'unmatched';

/** From 1 ms to a minute: a read is a few ms, a worker's long poll for leases up to its waitMs. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * The route label: the template the request matched (`/api/v1/reminders/:id`),
 * never the URL itself, which carries ids and query strings (a time series
 * per reminder would grow without bound). Requests no route matched share
 * one value.
 */
export function routeLabel(request: Pick<FastifyRequest, 'routeOptions'>): string {
  return request.routeOptions?.url || UNMATCHED_ROUTE;
}

/**
 * Counts every HTTP request Fastify answers, by method, route template and
 * status, with its duration. One synchronous onResponse hook: no per-request
 * async work, and the duration is Fastify's own (`reply.elapsedTime`, taken
 * from when the request arrived), so nothing is stored on the request.
 * Must be added before the app registers its routes (Fastify applies a hook
 * to the routes declared after it), as createHttpApp does.
 */
export function observeHttpRequests(fastify: FastifyInstance, metrics: Metrics): void {
  const requests = metrics.counter({
    name: 'herald_http_requests_total',
    help: 'HTTP requests answered, by method, route template (unmatched: no route) and status code.',
    labelNames: ['method', 'route', 'status'],
  });
  const duration = metrics.histogram({
    name: 'herald_http_request_duration_seconds',
    help: 'Time from a request arriving to its response being sent, by method and route template.',
    labelNames: ['method', 'route'],
    buckets: DURATION_BUCKETS,
  });
  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const route = routeLabel(request);
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    done();
  });
}
