import { ExecutionContext, HttpException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  ThrottlerLimitDetail,
  ThrottlerModuleOptions,
  ThrottlerStorage,
} from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import { rateLimitedBody, retryAfterSeconds, windowOfTtl } from './rate-limits';
import { RouteBudgets } from './route-budgets';

/**
 * @nestjs/throttler's guard with Herald's budgets (RateLimitModule's options
 * say which route spends which, counted per API key or client address), and
 * Herald's refusal: 429 with `Retry-After` and the common error body naming
 * the limit and its knob. A global guard registered after ApiKeyGuard, so the
 * caller is known: a call the key guard refuses (401/403) spends nothing.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly routes: RouteBudgets,
  ) {
    super(options, storage, reflector);
  }

  /** Nothing to count when every budget is off (the default) or the route spends none: no storage call, no key. */
  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    return Promise.resolve(this.routes.of(context) === null);
  }

  protected override throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const budget = this.routes.of(context)!;
    const retryAfter = retryAfterSeconds(detail.timeToBlockExpire);
    void context.switchToHttp().getResponse<FastifyReply>().header('retry-after', String(retryAfter));
    return Promise.reject(new HttpException(rateLimitedBody(budget, windowOfTtl(detail.ttl), detail.tracker, retryAfter), 429));
  }
}
