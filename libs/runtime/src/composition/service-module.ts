import { DynamicModule, Type } from '@nestjs/common';
import { Clock } from '@herald/kernel';
import { AuthModule, ConfigModule, HealthModule, HeraldConfig, LoggingModule, MetricsModule, TracingModule } from '@herald/platform';
import { ProjectionsModule } from '../projections/projections.module';
import { FeedSourcesModule } from '../feed/feed-source';
import { StorageModule } from './storage.module';

export interface ServiceOptions {
  readonly clock?: Clock;
  /** false: projections are registered but not run (npm run replay rebuilds them itself). */
  readonly runProjections?: boolean;
}

/**
 * A Herald service: shared infrastructure (config, logs, storage, health,
 * metrics, tracing, the projection host) around the capability modules it runs. The services
 * and the all-in-one differ only in the list.
 */
export function heraldService(name: string, capabilities: Type<unknown>[], config: HeraldConfig, options: ServiceOptions = {}): DynamicModule {
  class HeraldServiceModule {}
  const pascal = name.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase());
  Object.defineProperty(HeraldServiceModule, 'name', { value: `${pascal}Module` });
  return {
    module: HeraldServiceModule,
    imports: [
      ConfigModule.forRoot(config),
      LoggingModule.forRoot(name),
      StorageModule.forRoot(options),
      AuthModule.forRoot(config),
      HealthModule,
      MetricsModule.forRoot(config),
      TracingModule.forRoot(config, name),
      ProjectionsModule.forRoot(options.runProjections ?? true),
      FeedSourcesModule,
      ...capabilities,
    ],
  };
}
