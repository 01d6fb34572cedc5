import { DynamicModule, Global, Module } from '@nestjs/common';
import { HeraldConfig } from '../config/herald-config';
import { MetricsController } from './metrics.controller';
import { Metrics } from './metrics';

/**
 * Every Herald service's metrics, wired as health is: one global Metrics
 * (its own Registry) that capability modules define their metrics on, and
 * GET /metrics in every service (each serves HTTP). Each service exposes
 * what it counts itself (callback outcomes where callbacks are sent, HTTP
 * where requests are answered); Prometheus sums across services and replicas.
 * METRICS_ENABLED=false leaves the route and the default collectors out.
 */
@Global()
@Module({})
export class MetricsModule {
  static forRoot(config: HeraldConfig): DynamicModule {
    return {
      module: MetricsModule,
      controllers: config.METRICS_ENABLED ? [MetricsController] : [],
      providers: [{ provide: Metrics, useFactory: () => new Metrics({ defaultMetrics: config.METRICS_ENABLED }) }],
      exports: [Metrics],
    };
  }
}
