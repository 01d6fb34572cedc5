import { Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { HeraldConfig } from '../config/herald-config';
import { ApiKeyGuard } from './api-key.guard';
import { RateLimitGuard } from '../rate-limit/rate-limit.guard';
import { RateLimitModule } from '../rate-limit/rate-limit.module';

/**
 * API keys on every route of every Herald service (imported by the service
 * shell), then the rate limits, which count per key: global guards run in the
 * order they are registered, so RateLimitGuard comes after ApiKeyGuard here.
 */
@Module({
  imports: [RateLimitModule],
  providers: [
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
  ],
})
export class AuthModule implements OnApplicationBootstrap {
  constructor(private readonly config: HeraldConfig) {}

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
