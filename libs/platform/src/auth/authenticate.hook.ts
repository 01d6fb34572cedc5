import { Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiKeyRing, Principal } from './api-keys';

/**
 * Paths open without a key: the probes, the API reference (Swagger UI and
 * the OpenAPI document, which describe routes and shapes, never data, keys or
 * configuration; clients generate and check SDKs from it), and the web
 * dashboard's static files (HTML and JavaScript: its API calls carry the key
 * the user types into it). The guard honours
 * `@Public()` too; this list lets the hook answer before the body (and the
 * reference's routes are Fastify's, which no Nest guard sees).
 */
const PUBLIC_PATHS = ['/health', '/api/docs', '/api/docs-json', '/dashboard'];

export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

/**
 * Authenticates every request as it arrives (Fastify's onRequest), before its
 * body is read or parsed: an unauthenticated caller gets its 401 without
 * Herald spending a body's worth of reading, parsing or validation on it, and
 * never learns about body limits or content types first. The route's scope
 * is checked later by ApiKeyGuard, which knows the route. With no keys
 * configured there is nothing to check here.
 */
export function authenticateRequests(fastify: FastifyInstance, ring: ApiKeyRing): void {
  if (ring.size === 0) return;
  const logger = new Logger('Auth');
  fastify.addHook('onRequest', async (request: AuthenticatedRequest, reply: FastifyReply) => {
    if (isPublic(request.url)) return;
    const found = identify(ring, request, logger);
    if ('keyId' in found) {
      request.principal = found;
      return;
    }
    return reply.code(401).header('www-authenticate', found.wwwAuthenticate).send(found.body);
  });
}

/** Why a request is not let in: the 401's challenge and body. */
export interface Unauthenticated {
  readonly wwwAuthenticate: string;
  readonly body: { statusCode: 401; error: 'Unauthorized'; code: 'Unauthenticated'; message: string };
}

/**
 * The principal of a request's `Authorization: Bearer <key>`, or the 401 to
 * answer (logged; the key itself never is). The hook and, for a route it let
 * through, ApiKeyGuard both ask here.
 */
export function identify(ring: ApiKeyRing, request: FastifyRequest, logger: Logger): Principal | Unauthenticated {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  const principal = match ? ring.find(match[1]) : null;
  if (principal) return principal;
  logger.warn({ method: request.method, url: request.url, presented: Boolean(match) }, 'call without a valid API key refused');
  const message = match ? 'the API key is not one Herald knows' : 'send an API key: Authorization: Bearer <key>';
  // RFC 6750 §3: a 401 names the scheme.
  return {
    wwwAuthenticate: match ? 'Bearer error="invalid_token"' : 'Bearer',
    body: { statusCode: 401, error: 'Unauthorized', code: 'Unauthenticated', message },
  };
}

function isPublic(url: string): boolean {
  const path = url.split('?')[0];
  return PUBLIC_PATHS.some((p) => path === p || path.startsWith(`${p}/`));
}
