export * from './view-store.port';
export * from './cursor';
export * from './sqlite/sqlite-view-store';
export * from './mongodb/mongodb-view-store';
export * from './cached/cached-view-store';
