import { Controller, Get } from '@nestjs/common';
import { Public } from '../auth/scopes.decorator';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { HealthRegistry } from './health-probe';

/** GET /health: 200 when every registered probe is up, 503 naming the ones that are not. */
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly registry: HealthRegistry,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check(
      this.registry.all().map((probe) => async () => {
        const session = this.indicators.check(probe.name);
        try {
          return session.up((await probe.check()) ?? {});
        } catch (error) {
          return session.down({ message: error instanceof Error ? error.message : String(error) });
        }
      }),
    );
  }
}
