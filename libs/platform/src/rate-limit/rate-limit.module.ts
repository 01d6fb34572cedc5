import { Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { ThrottlerModule, ThrottlerModuleOptions } from '@nestjs/throttler';
import { HeraldConfig } from '../config/herald-config';
import { RATE_WINDOWS, RateBudget } from './rate-limits';
import { RateLimitStorage, redisCounters, withoutPassword } from './rate-limit-storage';
import { RouteBudgets } from './route-budgets';

const storageProvider = {
  provide: RateLimitStorage,
  inject: [HeraldConfig, RouteBudgets],
  useFactory: async (config: HeraldConfig, routes: RouteBudgets) => {
    // No limit on: no Redis connection either.
    if (!config.REDIS_URL || !routes.any) return new RateLimitStorage(null);
    const name = `Redis at ${withoutPassword(config.REDIS_URL)}`;
    return new RateLimitStorage(await redisCounters(config.REDIS_URL, config.RATE_LIMIT_REDIS_PREFIX), name);
  },
};

@Module({ providers: [RouteBudgets, storageProvider], exports: [RouteBudgets, RateLimitStorage] })
class RateLimitCoreModule {}

/** The throttlers of every budget: a burst and a sustained window, limits and counters per route's budget (RouteBudgets). */
export function throttlerOptions(routes: RouteBudgets, storage: RateLimitStorage): ThrottlerModuleOptions {
  return {
    throttlers: RATE_WINDOWS.map((w) => ({
      name: w.name,
      ttl: w.ttlMs,
      limit: (context) => routes.limit(context, w.name),
      blockDuration: w.ttlMs,
    })),
    getTracker: (request, context) => routes.tracker(request as Parameters<RouteBudgets['tracker']>[0], context),
    generateKey: (context, tracker, window) => routes.key(context, tracker, window),
    // Only Retry-After, on a 429 (RateLimitGuard): not the library's X-RateLimit-*-burst headers on every answer.
    setHeaders: false,
    storage,
  };
}

/**
 * Rate limits on every Herald service (see RateLimitGuard and the README's
 * "Rate limits"). AuthModule imports it and registers the guard after the
 * API key guard, since the limits are per key.
 */
@Module({
  imports: [
    RateLimitCoreModule,
    ThrottlerModule.forRootAsync({
      imports: [RateLimitCoreModule],
      inject: [RouteBudgets, RateLimitStorage],
      useFactory: throttlerOptions,
    }),
  ],
  exports: [RateLimitCoreModule, ThrottlerModule],
})
export class RateLimitModule implements OnApplicationBootstrap {
  constructor(
    private readonly routes: RouteBudgets,
    private readonly storage: RateLimitStorage,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.routes.any) return;
    const { api, work, health } = this.routes.budgets;
    const logger = new Logger('RateLimits');
    const counting = this.storage.counting;
    logger.log(
      `rate limits: API ${describe(api)}; worker protocol ${describe(work)}; /health ${describe(health)}${health ? ' per address' : ''}; counted ${COUNTED[counting]}`,
    );
    this.storage.checkShared();
  }
}

const COUNTED = {
  memory: 'in memory, per replica (set REDIS_URL to share counts across replicas)',
  shared: 'in Redis, shared by replicas',
  'memory (shared store down)': 'in memory while Redis is unreachable, in Redis once it answers',
} as const;
const describe = (budget: RateBudget | null) => (budget ? `${budget.perSecond}/s, bursts of ${budget.burst}` : 'none');
