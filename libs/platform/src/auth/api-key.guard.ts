import { CanActivate, ExecutionContext, HttpException, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HeraldConfig } from '../config/herald-config';
import { ApiKeyRing, Principal, Scope, UNRESTRICTED } from './api-keys';
import { REQUIRED_SCOPE } from './scopes.decorator';

type AuthedRequest = FastifyRequest & { principal?: Principal };

/**
 * Every HTTP route: `Authorization: Bearer <key>` → the key's principal on
 * the request, or 401 (no or unknown key, with `WWW-Authenticate: Bearer`)
 * or 403 (a key without the route's scope). With no keys configured (which
 * start-up allows on a loopback address only, or with HERALD_AUTH=off) every
 * call is unrestricted. Due-entry handlers are not HTTP and pass.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly ring: ApiKeyRing;
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly reflector: Reflector,
    config: HeraldConfig,
  ) {
    this.ring = new ApiKeyRing(config.HERALD_API_KEYS);
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<AuthedRequest>();
    const required = this.requiredScope(context, request.method);
    if (required === null) return true;
    if (this.ring.size === 0) {
      request.principal = UNRESTRICTED;
      return true;
    }
    // Normally found by the onRequest hook already (authenticate.hook.ts); here for a route the hook let through.
    const principal = request.principal ?? this.authenticate(request, context.switchToHttp().getResponse<FastifyReply>());
    if (!principal.scopes.has(required)) {
      this.logger.warn({ keyId: principal.keyId, required, method: request.method, url: request.url }, 'API key lacks the scope');
      throw refusal(403, 'Forbidden', 'MissingScope', `API key ${principal.keyId} lacks the ${required} scope this call needs`);
    }
    request.principal = principal;
    return true;
  }

  private requiredScope(context: ExecutionContext, method: string): Scope | null {
    const declared = this.reflector.getAllAndOverride<Scope | null | undefined>(REQUIRED_SCOPE, [context.getHandler(), context.getClass()]);
    if (declared !== undefined) return declared;
    return method === 'GET' || method === 'HEAD' ? 'read' : 'write';
  }

  private authenticate(request: AuthedRequest, reply: FastifyReply): Principal {
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    const principal = match ? this.ring.find(match[1]) : null;
    if (principal) return principal;
    // RFC 6750 §3: a 401 names the scheme; the key itself is never logged.
    void reply.header('www-authenticate', match ? 'Bearer error="invalid_token"' : 'Bearer');
    this.logger.warn({ method: request.method, url: request.url, presented: Boolean(match) }, 'call without a valid API key refused');
    const message = match ? 'the API key is not one Herald knows' : 'send an API key: Authorization: Bearer <key>';
    throw refusal(401, 'Unauthorized', 'Unauthenticated', message);
  }
}

const refusal = (statusCode: number, error: string, code: string, message: string) =>
  new HttpException({ statusCode, error, code, message }, statusCode);
