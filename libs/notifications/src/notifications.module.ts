import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { VIEW_STORES, ViewStores, feedSourceProvider, projectionProvider } from '@herald/runtime';
import { ViewStore } from '@herald/view-store';
import { NOTIFICATIONS_API_DOCS } from './api-docs';
import { NotificationCommands } from './commands/notification-commands';
import { PublishNotificationController } from './commands/publish-notification.controller';
import { NOTIFICATION_FEED_SOURCE } from './queries/notification-feed';
import { GetNotificationHandler, ListNotificationsHandler } from './queries/notification-queries';
import { NotificationQueriesController } from './queries/notification-queries.controller';
import { NOTIFICATION_VIEWS, NOTIFICATION_VIEW_DEFINITION, NotificationView } from './queries/notification-view';
import { NOTIFICATION_VIEWS_PROJECTION, notificationViewsProjection } from './queries/notification-views.projection';

/** The notification views' store, opened on whichever adapter the service's storage chose. */
@Module({
  providers: [{ provide: NOTIFICATION_VIEWS, inject: [VIEW_STORES], useFactory: (stores: ViewStores) => stores.open(NOTIFICATION_VIEW_DEFINITION) }],
  exports: [NOTIFICATION_VIEWS],
})
export class NotificationViewsModule {}

/** Every notification projection, registered without the services around them: the query API's, and what `npm run replay` rebuilds. */
@Module({
  imports: [NotificationViewsModule],
  providers: [
    projectionProvider(NOTIFICATION_VIEWS_PROJECTION, [NOTIFICATION_VIEWS], (views: ViewStore<NotificationView>) =>
      notificationViewsProjection(views),
    ),
  ],
})
export class NotificationProjectionsModule {}

/** The notification command API: publish. */
@Module({ controllers: [PublishNotificationController], providers: [NotificationCommands, NOTIFICATIONS_API_DOCS], exports: [NotificationCommands] })
export class NotificationCommandsModule {}

/** The notification query API: the projection that keeps the read model, the GET endpoints over it, and the feed source. */
@Module({
  imports: [CqrsModule, NotificationViewsModule, NotificationProjectionsModule],
  controllers: [NotificationQueriesController],
  providers: [
    GetNotificationHandler,
    ListNotificationsHandler,
    NOTIFICATIONS_API_DOCS,
    feedSourceProvider('notification', [], () => NOTIFICATION_FEED_SOURCE),
  ],
})
export class NotificationQueriesModule {}
