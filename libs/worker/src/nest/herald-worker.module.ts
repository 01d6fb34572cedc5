import { DynamicModule, Module, ModuleMetadata, Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Middleware } from '../middleware/compose';
import { HeraldWorker } from '../worker/herald-worker';
import { HeraldWorkerOptions } from '../worker/options';
import { HERALD_WORKER_OPTIONS } from './constants';
import { HeraldWorkerLifecycle } from './herald-worker.lifecycle';
import { TaskHandlerExplorer } from './task-handler.explorer';

export interface HeraldWorkerModuleOptions extends HeraldWorkerOptions {
  /** Added with `worker.use()` in this order, before the worker starts. */
  middleware?: Middleware[];
}

export interface HeraldWorkerModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  inject?: unknown[];
  useFactory: (...args: never[]) => HeraldWorkerModuleOptions | Promise<HeraldWorkerModuleOptions>;
}

/**
 * Runs a `HeraldWorker` inside a Nest application: `@TaskHandler` methods
 * become its handlers, and it starts and stops with the application (call
 * `app.enableShutdownHooks()` for stop on SIGTERM). `HeraldWorker` can be
 * injected, to add middleware in an `onModuleInit`, say.
 */
@Module({})
export class HeraldWorkerModule {
  static forRoot(options: HeraldWorkerModuleOptions): DynamicModule {
    return HeraldWorkerModule.build([{ provide: HERALD_WORKER_OPTIONS, useValue: options }]);
  }

  static forRootAsync(options: HeraldWorkerModuleAsyncOptions): DynamicModule {
    const provider: Provider = { provide: HERALD_WORKER_OPTIONS, useFactory: options.useFactory, inject: options.inject as never[] };
    return { ...HeraldWorkerModule.build([provider]), imports: [DiscoveryModule, ...(options.imports ?? [])] };
  }

  private static build(optionProviders: Provider[]): DynamicModule {
    return {
      module: HeraldWorkerModule,
      imports: [DiscoveryModule],
      providers: [
        ...optionProviders,
        { provide: HeraldWorker, useFactory: createWorker, inject: [HERALD_WORKER_OPTIONS] },
        TaskHandlerExplorer,
        HeraldWorkerLifecycle,
      ],
      exports: [HeraldWorker],
    };
  }
}

function createWorker({ middleware = [], ...options }: HeraldWorkerModuleOptions): HeraldWorker {
  const worker = new HeraldWorker(options);
  middleware.forEach((mw) => worker.use(mw));
  return worker;
}
