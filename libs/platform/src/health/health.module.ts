import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthRegistry } from './health-probe';
import { HealthController } from './health.controller';

@Global()
@Module({
  imports: [TerminusModule.forRoot()],
  controllers: [HealthController],
  providers: [HealthRegistry],
  exports: [HealthRegistry],
})
export class HealthModule {}
