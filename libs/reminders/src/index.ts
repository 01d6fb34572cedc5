export * from './storage/storage.module';
export * from './commands/command-api.module';
export * from './scheduling/scheduler.module';
export * from './callbacks/callback-worker.module';
export * from './queries/query-api.module';
export * from './service-module';
export * from './queries/replay/replay';
