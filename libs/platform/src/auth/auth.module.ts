import { DynamicModule, Logger, Module, OnApplicationBootstrap, Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { HeraldConfig } from '../config/herald-config';
import { ApiKeyGuard } from './api-key.guard';
import { RateLimitGuard } from '../rate-limit/rate-limit.guard';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { anyBudget, rateBudgets } from '../rate-limit/rate-limits';

/**
 * API keys on every route of every Herald service (imported by the service
 * shell), then the rate limits, which count per key: global guards run in the
 * order they are registered, so RateLimitGuard comes after ApiKeyGuard here.
 * Each guard is registered only when it has something to do (keys configured,
 * a budget on): a route without global guards skips Nest's guard pass
 * entirely, which is measurable on the define rate.
 */
@Module({})
export class AuthModule implements OnApplicationBootstrap {
  constructor(private readonly config: HeraldConfig) {}

  static forRoot(config: HeraldConfig): DynamicModule {
    const guards: Provider[] = [
      ...(config.HERALD_API_KEYS.length > 0 ? [{ provide: APP_GUARD, useClass: ApiKeyGuard }] : []),
      // Any budget, the health one alone included: RouteBudgets then skips every route whose budget is off.
      ...(anyBudget(rateBudgets(config)) ? [{ provide: APP_GUARD, useClass: RateLimitGuard }] : []),
    ];
    return { module: AuthModule, imports: [RateLimitModule], providers: guards };
  }

  onApplicationBootstrap(): void {
    const keys = this.config.HERALD_API_KEYS.length;
    const logger = new Logger('Auth');
    if (keys > 0 && this.config.HERALD_AUTH === 'off')
      logger.warn(`HERALD_AUTH=off is ignored: ${keys} API key(s) configured, every call but /health needs one`);
    else if (keys > 0) logger.log(`${keys} API key(s) configured; every call but /health needs one`);
    else if (this.config.HERALD_AUTH === 'off') logger.warn(`HERALD_AUTH=off: unauthenticated calls accepted on ${this.config.HOST}`);
    else logger.warn(`no API keys configured: unauthenticated calls accepted, on the loopback address ${this.config.HOST} only`);
  }
}
