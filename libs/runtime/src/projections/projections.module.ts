import { DynamicModule, Global, InjectionToken, Module, Provider } from '@nestjs/common';
import { ProjectionDefinition } from './projection';
import { ProjectionHost, RUN_PROJECTIONS } from './projection-host';
import { ProjectionLagMetrics } from './projection-lag';

/** The one projection host of a service, and its lag gauge; `run: false` registers definitions without subscribing (replay). */
@Global()
@Module({})
export class ProjectionsModule {
  static forRoot(run: boolean): DynamicModule {
    return {
      module: ProjectionsModule,
      providers: [ProjectionHost, ProjectionLagMetrics, { provide: RUN_PROJECTIONS, useValue: run }],
      exports: [ProjectionHost],
    };
  }
}

/**
 * A provider that builds a projection from its dependencies and registers it
 * with the host: a capability module lists it and the host runs it.
 */
export function projectionProvider<TDeps extends unknown[]>(
  name: string,
  inject: InjectionToken[],
  create: (...deps: TDeps) => ProjectionDefinition,
): Provider {
  return {
    provide: `projection:${name}`,
    inject: [ProjectionHost, ...inject],
    useFactory: (host: ProjectionHost, ...deps: TDeps) => {
      const definition = create(...deps);
      host.register(definition);
      return definition;
    },
  };
}
