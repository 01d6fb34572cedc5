import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import { Span, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TRACEPARENT_HEADER, childSpanContext, formatTraceparent, parseTraceparent } from './trace-context';
import { Tracing } from './tracing';

const SPAN = Symbol('herald.requestSpan');
const TRACEPARENT = Symbol('herald.requestTraceparent');

interface TracedRequest {
  readonly headers: FastifyRequest['headers'];
  [SPAN]?: Span;
  [TRACEPARENT]?: string;
}

/**
 * Every HTTP request belongs to the trace its caller sent (`traceparent`,
 * W3C), or starts a new one when it sent none or an invalid one; the
 * commands a request runs append their events with the request's span as
 * `traceparent` in their metadata. The controllers hand it to the command
 * path explicitly (`@RequestTraceparent()` → RunOptions.traceparent), not
 * through an async context: Node 20's AsyncLocalStorage puts a hook on every
 * promise of the process, which cost a fifth of the define rate.
 *
 * Without an exporter no hook is added: a request's span context is drawn
 * the first time a command asks for it (most requests never do). With one,
 * three hooks, added before the app's routes (createHttpApp) so the
 * not-found handler is covered too: onRequest starts the server span as the
 * request arrives; onResponse names the status and ends it; onRequestAbort
 * ends it when the client went away first. A server span is named
 * `<METHOD> <route template>` (OpenTelemetry's HTTP conventions); the URL
 * itself is never recorded: lease URLs hold the token's secret, and ids are
 * in the template's place anyway.
 */
export function traceHttpRequests(fastify: FastifyInstance, tracing: Tracing): void {
  if (!tracing.recording) return;
  fastify.addHook('onRequest', (request: FastifyRequest & TracedRequest, _reply: FastifyReply, done: () => void) => {
    const route = request.routeOptions?.url;
    const parent = parseTraceparent(request.headers[TRACEPARENT_HEADER]);
    const attributes = { 'http.request.method': request.method, ...(route ? { 'http.route': route } : {}) };
    request[SPAN] = tracing.startSpan(route ? `${request.method} ${route}` : request.method, { kind: SpanKind.SERVER, parent, attributes });
    done();
  });
  // Each span is ended once: by its response, or by the client going away first (a worker's long poll).
  const end = (request: FastifyRequest & TracedRequest, statusCode: number | null) => {
    const span = request[SPAN];
    if (!span) return;
    request[SPAN] = undefined;
    if (statusCode !== null) span.setAttribute('http.response.status_code', statusCode);
    if (statusCode === null || statusCode >= 500)
      span.setStatus({ code: SpanStatusCode.ERROR, message: statusCode === null ? 'request aborted' : undefined });
    span.end();
  };
  fastify.addHook('onResponse', (request: FastifyRequest & TracedRequest, reply: FastifyReply, done: () => void) => {
    end(request, reply.statusCode);
    done();
  });
  fastify.addHook('onRequestAbort', (request: FastifyRequest & TracedRequest, done: () => void) => {
    end(request, null);
    done();
  });
}

/**
 * The `traceparent` a request's commands file their events under: its
 * server span's when spans are recorded, else a span context of the
 * caller's trace (or of a new one) drawn on first use and kept for the rest
 * of the request, so every command of one request names the same span.
 */
export function requestTraceparent(request: TracedRequest): string {
  const known = request[TRACEPARENT];
  if (known !== undefined) return known;
  const span = request[SPAN];
  const context = span ? span.spanContext() : childSpanContext(parseTraceparent(request.headers[TRACEPARENT_HEADER]));
  return (request[TRACEPARENT] = formatTraceparent(context));
}

/** The handled request's `traceparent` (requestTraceparent), for a controller to pass to the commands it runs. */
export const RequestTraceparent = createParamDecorator((_: unknown, context: ExecutionContext): string =>
  requestTraceparent(context.switchToHttp().getRequest<TracedRequest>()),
);
