import { Logger, Module, OnModuleInit, Optional } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import fastifyHttpProxy, { FastifyHttpProxyOptions } from '@fastify/http-proxy';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HeraldConfig, TRACEPARENT_HEADER, Tracing, requestTraceparent } from '@herald/platform';

/** The resources under `/api/v1` whose writes the command API serves (`workers`: the lease protocol, all POSTs). */
export const FORWARDED_RESOURCES = ['reminders', 'tasks', 'schedules', 'notifications', 'workers'] as const;

/** What is forwarded: every method but the reads (GET, HEAD), which the query API answers itself, and OPTIONS. */
export const FORWARDED_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'];

/** Failures in which the request never reached the command API: safe to send again. */
const NOT_REACHED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
const TIMED_OUT = new Set(['FST_REPLY_FROM_GATEWAY_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const ERROR_NAME: Record<number, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** The answer to a forwarded request that got none from the command API, in the common error shape. */
export interface ForwardingFailure {
  readonly statusCode: 502 | 503 | 504;
  readonly body: { statusCode: number; error: string; code: string; message: string };
}

/**
 * What a failed forward answers. Not reached (refused, unknown host, no
 * route, connect timeout): 503 with Retry-After, nothing was written. Cut
 * off once sent (reset, socket closed) or unanswered in time: 502 / 504, and
 * the write may have happened — the message says to retry with the same
 * Idempotency-Key or read it back. The URL is the configured base (no path
 * of the request: lease URLs hold a token's secret).
 */
export function forwardingFailure(commandApiUrl: string, error: unknown): ForwardingFailure {
  const outer = error as { code?: string; cause?: { code?: string } } | undefined;
  const cause = outer?.cause?.code ?? outer?.code ?? 'unknown error';
  const at = `the command API at ${commandApiUrl}`;
  if (NOT_REACHED.has(cause) || outer?.code === 'FST_REPLY_FROM_SERVICE_UNAVAILABLE') {
    return failure(503, 'CommandApiUnreachable', `${at} is unreachable (${cause}): the write was not forwarded and nothing was written; retry later`);
  }
  if (TIMED_OUT.has(cause) || TIMED_OUT.has(outer?.code ?? '')) {
    return failure(
      504,
      'CommandApiTimeout',
      `${at} did not answer in time (${cause}): the write may have been applied; retry with the same Idempotency-Key, or read it back`,
    );
  }
  return failure(
    502,
    'CommandApiUnreachable',
    `${at} is unreachable: the connection failed mid-request (${cause}), so the write may have been applied; retry with the same Idempotency-Key, or read it back`,
  );
}

function failure(statusCode: 502 | 503 | 504, code: string, message: string): ForwardingFailure {
  return { statusCode, body: { statusCode, error: ERROR_NAME[statusCode], code, message } };
}

/** The parts of a request the forwarded headers are made from (HTTP/1 or HTTP/2: reply-from's hooks accept either). */
interface ForwardedRequest {
  readonly socket: { readonly remoteAddress?: string };
  readonly headers: FastifyRequest['headers'];
}

/**
 * The configured URL as the proxy's upstream: origin plus any base path, without a trailing slash
 * (a command API behind a path-prefixing proxy: `http://gateway/herald`). It is also how the URL
 * is named in logs and answers: an origin carries no credentials a URL might have held.
 */
function upstreamOf(commandApiUrl: string): { upstream: string; basePath: string } {
  const url = new URL(commandApiUrl);
  const basePath = url.pathname.replace(/\/+$/, '');
  return { upstream: `${url.origin}${basePath}`, basePath };
}

/**
 * Registers the forwarding of writes on the query API's Fastify instance
 * (@fastify/http-proxy over @fastify/reply-from, one undici pool): POST,
 * PUT, PATCH and DELETE under `/api/v1/<resource>` for each of
 * FORWARDED_RESOURCES go to the command API, as they came — method, path,
 * query, body (streamed, not parsed here: the command API validates, limits
 * and refuses it) and headers (`Authorization`, `Idempotency-Key`,
 * `traceparent`, `Content-Type`, …) — and its answer comes back as it is
 * (status, `Location`, `Retry-After`, `WWW-Authenticate`, body).
 *
 * What the query API serves itself keeps precedence: its routes are static
 * or parametric and these are wildcards, so `POST /api/v1/schedules/preview`
 * stays local, every GET stays local, and a path under no forwarded resource
 * still meets the app's own 404. The authentication hook runs first
 * (createHttpApp adds it to every route): a call without a valid key is
 * refused here, and the command API checks the key's scope and owner.
 *
 * Added to what is forwarded: `X-Forwarded-For` (so a command API with
 * TRUST_PROXY naming the query APIs rate-limits per client, not per query
 * API), and — when spans are recorded — the query API's own span as
 * `traceparent`, so the trace shows the hop.
 */
export function forwardWrites(
  fastify: FastifyInstance,
  commandApiUrl: string,
  tracing: Tracing | null = null,
  logger = new Logger('CommandForwarding'),
): void {
  const { upstream, basePath } = upstreamOf(commandApiUrl);
  // Not awaited, as the dashboard's files: Fastify loads the plugin with the rest when the app starts.
  void fastify.register(async (scope) => {
    // The app's JSON parser (Nest's) would read the body; the proxy passes it on unread, with its own pass-through parsers.
    scope.removeAllContentTypeParsers();
    // A request the proxy itself refuses (a path escaping its prefix: 400) answers in the common shape too.
    scope.setErrorHandler((error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
      const statusCode = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
      if (statusCode === 500) logger.error(error.stack ?? String(error));
      const [code, message] =
        statusCode === 500
          ? ['InternalError', 'internal error; see the service log']
          : [statusCode === 400 ? 'BadRequest' : 'HttpError', error.message];
      return reply.code(statusCode).send({ statusCode, error: ERROR_NAME[statusCode] ?? 'Error', code, message });
    });
    const options: FastifyHttpProxyOptions = {
      upstream,
      prefix: '/api/v1',
      rewritePrefix: `${basePath}/api/v1`,
      routes: FORWARDED_RESOURCES.flatMap((resource) => [`/${resource}`, `/${resource}/*`]),
      httpMethods: FORWARDED_METHODS,
      // The command API's Location (`/api/v1/reminders/<id>`) is a path this origin serves too: passed back unchanged.
      internalRewriteLocationHeader: false,
      disableRequestLogging: true,
      destroyAgent: true,
      replyOptions: {
        rewriteRequestHeaders: (request, headers) => forwardedHeaders(request, headers, tracing),
        // Hop-by-hop: they describe the connection to the command API, not this one (which the query API's server manages).
        rewriteHeaders: ({ connection: _connection, 'keep-alive': _keepAlive, ...headers }) => headers,
        onError: (reply, { error }) => {
          const answer = forwardingFailure(upstream, error);
          // Method and route template only: a lease URL holds its token's secret.
          logger.warn(`${reply.request.method} ${reply.request.routeOptions.url ?? ''}: ${answer.body.message}`);
          if (answer.statusCode === 503) void reply.header('retry-after', '5');
          void reply.code(answer.statusCode).send(answer.body);
        },
      },
    };
    await scope.register(fastifyHttpProxy, options);
  });
  logger.log(`forwarding writes to ${upstream}: ${FORWARDED_METHODS.join(', ')} under /api/v1/{${FORWARDED_RESOURCES.join(',')}}`);
}

/** What the request's own headers become on their way: `X-Forwarded-For` extended, the query API's span as `traceparent` when recorded. */
function forwardedHeaders<H extends object>(
  request: ForwardedRequest,
  headers: H & { 'x-forwarded-for'?: string | string[] },
  tracing: Tracing | null,
): H {
  const client = request.socket.remoteAddress;
  const earlier = headers['x-forwarded-for'];
  const forwardedFor = [...(Array.isArray(earlier) ? earlier : earlier ? [earlier] : []), ...(client ? [client] : [])].join(', ');
  return {
    ...headers,
    ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
    ...(tracing?.recording ? { [TRACEPARENT_HEADER]: requestTraceparent(request) } : {}),
  };
}

/**
 * The query API's forwarding of writes to the command API, when
 * COMMAND_API_URL is set: one address then serves reads, the live feed, the
 * dashboard and its actions (forwardWrites). Unset, it adds nothing and
 * writes sent to the query API answer 404.
 */
@Module({})
export class CommandForwardingModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly config: HeraldConfig,
    @Optional() private readonly tracing: Tracing | null,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify || !this.config.COMMAND_API_URL) return;
    forwardWrites(fastify, this.config.COMMAND_API_URL, this.tracing ?? null);
  }
}
