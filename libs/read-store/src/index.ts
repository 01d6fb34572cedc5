export * from './reminder-read-store.port';
export * from './sqlite/sqlite-reminder-read-store';
export * from './mongodb/mongodb-reminder-read-store';
