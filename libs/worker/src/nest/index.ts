// The NestJS integration; the core SDK in '@herald/worker' does not depend on Nest.
export { HeraldWorkerModule } from './herald-worker.module';
export type { HeraldWorkerModuleOptions, HeraldWorkerModuleAsyncOptions } from './herald-worker.module';
export { TaskHandler } from './task-handler.decorator';
export { HERALD_WORKER_OPTIONS } from './constants';
