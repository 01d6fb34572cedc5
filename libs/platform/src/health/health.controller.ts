import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/scopes.decorator';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { HealthRegistry } from './health-probe';
import { ApiErrors } from '../http/api-docs/api-docs.decorators';
import { HealthDto } from './health.dto';

/** GET /health: 200 when every registered probe is up, 503 naming the ones that are not. */
@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly registry: HealthRegistry,
  ) {}

  @Get()
  // Documented below: Herald's 503 is the common error body (HeraldExceptionFilter), not Terminus' own schema.
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({ operationId: 'health.check', summary: 'Readiness: the stores, every projection and the task queue' })
  @ApiOkResponse({ type: HealthDto, description: 'Every probe is up' })
  // 429 only where RATE_LIMIT_HEALTH_PER_SECOND gives /health a budget of its own (off by default).
  @ApiErrors(429, 503)
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
