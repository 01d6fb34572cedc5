export * from './event-store.port';
export * from './errors';
export * from './checkpoints/checkpoint-store.port';
export * from './sqlite/sqlite-event-store';
export * from './eventstoredb/eventstoredb-event-store';
export * from './checkpoints/sqlite/sqlite-checkpoint-store';
export * from './subscriptions/checkpointed-subscriber';
export * from './checkpoints/mongodb/mongodb-checkpoint-store';
