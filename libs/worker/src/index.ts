// The framework-free SDK. Nest users also import '@herald/worker/nest'.
export * from './protocol';
export { NonRetryableError, LeaseLostError, HeraldHttpError } from './errors';
export { consoleLogger, silentLogger } from './logger';
export type { WorkerLogger } from './logger';
export { HeraldClient } from './http/herald-client';
export type { HeraldClientOptions, FetchFn } from './http/herald-client';
export type { BackoffOptions } from './retry/backoff';
export type { Middleware, Next } from './middleware/compose';
export { abortReason } from './task/task-context';
export type { TaskContext, TaskHandlerFn, TaskAbortReason, AbortKind } from './task/task-context';
export { HeraldWorker } from './worker/herald-worker';
export type { HeraldWorkerOptions } from './worker/options';
export type { SettleReport } from './task/lease-session';
export { failFastOn, logTasks, timeTasks } from './middleware/builtins';
export type { RunOutcome, RunSample } from './middleware/builtins';
