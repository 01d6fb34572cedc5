export * from './domain';
export * from './notification-aggregate';
export * from './queries/notification-view';
export * from './queries/notification-views.projection';
export * from './queries/notification-feed';
export * from './notifications.module';
