import { CanActivate, ExecutionContext, HttpException, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HeraldConfig } from '../config/herald-config';
import { ApiKeyRing, Principal, Scope, UNRESTRICTED } from './api-keys';
import { REQUIRED_SCOPE } from './scopes.decorator';
import { identify } from './authenticate.hook';

type AuthedRequest = FastifyRequest & { principal?: Principal };

/**
 * Every HTTP route: `Authorization: Bearer <key>` → the key's principal on
 * the request, or 401 (no or unknown key, with `WWW-Authenticate: Bearer`)
 * or 403 (a key without the route's scope). With no keys configured (which
 * start-up allows on a loopback address only, or with HERALD_AUTH=off) every
 * call is unrestricted (AuthModule then does not register the guard at
 * all). Due-entry handlers are not HTTP and pass.
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
    const found = identify(this.ring, request, this.logger);
    if ('keyId' in found) return found;
    void reply.header('www-authenticate', found.wwwAuthenticate);
    throw new HttpException(found.body, 401);
  }
}

const refusal = (statusCode: number, error: string, code: string, message: string) =>
  new HttpException({ statusCode, error, code, message }, statusCode);
