import Fastify, { FastifyInstance } from 'fastify';
import { Metrics } from './metrics';
import { UNMATCHED_ROUTE, observeHttpRequests, routeLabel } from './http-metrics';

describe('routeLabel', () => {
  it('is the matched route template, or one value for requests no route matched', () => {
    expect(routeLabel({ routeOptions: { url: '/api/v1/reminders/:id' } } as never)).toBe('/api/v1/reminders/:id');
    expect(routeLabel({ routeOptions: { url: undefined } } as never)).toBe(UNMATCHED_ROUTE);
    expect(routeLabel({ routeOptions: { url: '' } } as never)).toBe(UNMATCHED_ROUTE);
  });
});

// Fastify's own inject(): real routing and hooks, no socket.
describe('observeHttpRequests (a Fastify onResponse hook)', () => {
  let fastify: FastifyInstance;
  let metrics: Metrics;

  beforeEach(async () => {
    fastify = Fastify();
    metrics = new Metrics({ defaultMetrics: false });
    observeHttpRequests(fastify, metrics); // before the routes, as createHttpApp does
    fastify.get('/api/v1/things/:id', async (request, reply) => reply.code((request.params as { id: string }).id === 'missing' ? 404 : 200).send({}));
    fastify.post('/api/v1/things', async (_request, reply) => reply.code(201).send({}));
    await fastify.ready();
  });
  afterEach(() => fastify.close());

  const count = async (labels: string) => {
    const line = (await metrics.render()).split('\n').find((l) => l.startsWith(`herald_http_requests_total{${labels}} `));
    return line ? Number(line.split(' ').at(-1)) : 0;
  };

  it('counts by method, route template and status: ids never become label values', async () => {
    for (const id of ['1', '2', '3']) await fastify.inject({ method: 'GET', url: `/api/v1/things/${id}?x=${id}` });
    await fastify.inject({ method: 'GET', url: '/api/v1/things/missing' });
    await fastify.inject({ method: 'POST', url: '/api/v1/things', payload: {} });
    expect(await count('method="GET",route="/api/v1/things/:id",status="200"')).toBe(3);
    expect(await count('method="GET",route="/api/v1/things/:id",status="404"')).toBe(1);
    expect(await count('method="POST",route="/api/v1/things",status="201"')).toBe(1);
    expect(await metrics.render()).not.toMatch(/things\/1|x=1/);
  });

  it('puts every request no route matched under route="unmatched", whatever its URL', async () => {
    await fastify.inject({ method: 'GET', url: '/nowhere/1' });
    await fastify.inject({ method: 'GET', url: '/elsewhere/2' });
    expect(await count('method="GET",route="unmatched",status="404"')).toBe(2);
  });

  it('observes each request’s duration in seconds, by method and route', async () => {
    await fastify.inject({ method: 'POST', url: '/api/v1/things', payload: {} });
    const text = await metrics.render();
    expect(text).toContain('herald_http_request_duration_seconds_count{method="POST",route="/api/v1/things"} 1');
    expect(text).toContain('herald_http_request_duration_seconds_bucket{le="60",method="POST",route="/api/v1/things"} 1');
  });
});
