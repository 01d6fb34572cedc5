import { ProjectionDefinition, viewProjection } from '@herald/runtime';
import { ViewStore } from '@herald/view-store';
import { NOTIFICATION_STREAM_PREFIX, isNotificationEvent } from '../domain';
import { NotificationView, projectNotificationView } from './notification-view';

export const NOTIFICATION_VIEWS_PROJECTION = 'query.notification-views';

/** Keeps the notification read model up to date from the log. */
export function notificationViewsProjection(views: ViewStore<NotificationView>): ProjectionDefinition {
  return viewProjection({
    name: NOTIFICATION_VIEWS_PROJECTION,
    categories: [NOTIFICATION_STREAM_PREFIX],
    store: views,
    isEvent: isNotificationEvent,
    idOf: (e) => e.data.notificationId,
    creates: (e) => e.type === 'NotificationPublished',
    project: projectNotificationView,
  });
}
