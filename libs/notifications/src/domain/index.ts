export * from './events/notification-events';
export * from './notification-state';
export * from './notification-decider';
export * from './commands/publish-notification';
export * from './commands/notification-guards';
export * from './values/channel';
export * from './values/message';
export * from './values/owner';
