import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { HeraldWorker } from '../worker/herald-worker';
import { TaskHandlerExplorer } from './task-handler.explorer';

/**
 * Registers the discovered handlers and runs the worker with the application.
 * It starts on bootstrap, once every provider exists, and stops on the first
 * shutdown hook, so running handlers finish (or release) while the
 * connections they use are still open.
 */
@Injectable()
export class HeraldWorkerLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    private readonly worker: HeraldWorker,
    private readonly explorer: TaskHandlerExplorer,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const { type, name, handler } of this.explorer.explore()) {
      try {
        this.worker.handle(type, handler);
      } catch (error) {
        throw new Error(`@TaskHandler on ${name}: ${(error as Error).message}`, { cause: error });
      }
    }
    await this.worker.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker.stop();
  }
}
