import { Span, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TRACEPARENT_HEADER, parseTraceparent } from './trace-context';
import { Tracing } from './tracing';

/**
 * Every HTTP request becomes a span of the trace its caller sent
 * (`traceparent`, W3C), or the first span of a new trace when it sent none
 * or an invalid one; the commands the request runs append their events with
 * that span's `traceparent` in their metadata (CommandRunner reads the
 * active span). Three hooks, added before the app's routes (createHttpApp),
 * so the not-found handler is covered too:
 *
 * - onRequest starts the span, as the request arrives;
 * - preHandler makes it the active context for the rest of the request.
 *   Not onRequest: the body is read between the two, from socket events that
 *   do not carry the async context of a hook, while everything the handler
 *   does (Nest's guards, pipes, controller, the command path) descends from
 *   the preHandler callback, which runs it synchronously;
 * - onResponse (only when spans are recorded) names the status and ends it;
 *   onRequestAbort ends it when the client went away first.
 *
 * A server span is named `<METHOD> <route template>` (OpenTelemetry's HTTP
 * conventions); the URL itself is never recorded: lease URLs hold the token's
 * secret, and ids are in the template's place anyway.
 */
export function traceHttpRequests(fastify: FastifyInstance, tracing: Tracing): void {
  const spans = new WeakMap<FastifyRequest, Span>();
  fastify.addHook('onRequest', (request: FastifyRequest, _reply: FastifyReply, done: () => void) => {
    const route = request.routeOptions?.url;
    const parent = parseTraceparent(request.headers[TRACEPARENT_HEADER]);
    const attributes = tracing.recording ? { 'http.request.method': request.method, ...(route ? { 'http.route': route } : {}) } : undefined;
    spans.set(request, tracing.startSpan(route ? `${request.method} ${route}` : request.method, { kind: SpanKind.SERVER, parent, attributes }));
    done();
  });
  fastify.addHook('preHandler', (request: FastifyRequest, _reply: FastifyReply, done: () => void) => {
    const span = spans.get(request);
    if (span) tracing.within(span, done);
    else done();
  });
  if (!tracing.recording) return;
  // Each span is ended once: by its response, or by the client going away first (a worker's long poll).
  const end = (request: FastifyRequest, statusCode: number | null) => {
    const span = spans.get(request);
    if (!span) return;
    spans.delete(request);
    if (statusCode !== null) span.setAttribute('http.response.status_code', statusCode);
    if (statusCode === null || statusCode >= 500)
      span.setStatus({ code: SpanStatusCode.ERROR, message: statusCode === null ? 'request aborted' : undefined });
    span.end();
  };
  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    end(request, reply.statusCode);
    done();
  });
  fastify.addHook('onRequestAbort', (request: FastifyRequest, done: () => void) => {
    end(request, null);
    done();
  });
}
