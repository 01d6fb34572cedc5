import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { HeraldConfig } from '../config/herald-config';
import { HeraldExceptionFilter } from './herald-exception.filter';
import { drainRefusedBodies } from './refused-body-drain';
import { authenticateRequests } from '../auth/authenticate.hook';
import { ApiKeyRing } from '../auth/api-keys';
import { heraldValidationPipe } from './validation.pipe';
import { observeHttpRequests } from '../metrics/http-metrics';
import { Metrics } from '../metrics/metrics';
import { Tracing } from '../tracing/tracing';
import { traceHttpRequests } from '../tracing/http-tracing';
import { setupApiDocs } from './api-docs/api-docs';

/**
 * Builds a Herald service on Fastify (lower per-request overhead than
 * Express) with the shared validation, error shape, logger and graceful
 * shutdown. Every app's main.ts and the e2e tests go through here.
 */
export async function createHttpApp(rootModule: Parameters<typeof NestFactory.create>[0], config: HeraldConfig): Promise<NestFastifyApplication> {
  // trustProxy: request.ip is X-Forwarded-For's client only behind the proxies TRUST_PROXY lists (rate limits, logs).
  const adapter = new FastifyAdapter({
    bodyLimit: config.BODY_LIMIT_BYTES,
    ...(config.TRUST_PROXY.length > 0 ? { trustProxy: config.TRUST_PROXY } : {}),
  });
  // abortOnError false: a failed start rejects (the caller exits), and app.get of an absent provider throws where it is asked.
  const app = await NestFactory.create<NestFastifyApplication>(rootModule, adapter, { bufferLogs: true, abortOnError: false });
  // First, so a request's span covers every other hook (an early 401 included); before app.init, as the others below.
  const tracing = optional(() => app.get(Tracing, { strict: false }));
  if (tracing) traceHttpRequests(adapter.getInstance(), tracing);
  // Before Nest registers its routes (app.init), so the hook covers every route and the 404 handler.
  drainRefusedBodies(adapter.getInstance(), config.REFUSED_BODY_DRAIN_BYTES);
  // And authentication: a request without a valid key is answered before its body is read.
  authenticateRequests(adapter.getInstance(), new ApiKeyRing(config.HERALD_API_KEYS));
  // Before app.init too, for the same reason: requests are counted on every route and on the 404s.
  const metrics = config.METRICS_ENABLED ? optional(() => app.get(Metrics, { strict: false })) : null;
  if (metrics) observeHttpRequests(adapter.getInstance(), metrics);
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(heraldValidationPipe());
  app.useGlobalFilters(new HeraldExceptionFilter({ bodyLimitBytes: config.BODY_LIMIT_BYTES }));
  app.enableShutdownHooks();
  // GET /api/docs and /api/docs-json (API_DOCS_ENABLED): this service's routes as an OpenAPI document.
  await setupApiDocs(app, config);
  return app;
}

/** A root module without MetricsModule (a test's own) has no Metrics: app.get then throws (abortOnError false). */
function optional<T>(get: () => T): T | null {
  try {
    return get();
  } catch {
    return null;
  }
}

export async function listen(app: INestApplication, config: HeraldConfig): Promise<string> {
  await app.listen(config.PORT, config.HOST);
  return app.getUrl();
}
