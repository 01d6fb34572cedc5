import { DynamicModule, Global, Module } from '@nestjs/common';
import { HeraldConfig } from '../config/herald-config';
import { Tracing } from './tracing';

/**
 * Every Herald service's tracing, wired as metrics are: one global Tracing
 * that the HTTP hooks (createHttpApp), the callback worker, the lease
 * endpoint and the schedule occurrences start their spans with. Without
 * OTEL_EXPORTER_OTLP_ENDPOINT it only propagates trace context; with it,
 * spans are exported and the last of them flushed at shutdown.
 */
@Global()
@Module({})
export class TracingModule {
  static forRoot(config: HeraldConfig, service: string): DynamicModule {
    return {
      module: TracingModule,
      providers: [{ provide: Tracing, useFactory: () => Tracing.fromConfig(config, service) }],
      exports: [Tracing],
    };
  }
}
