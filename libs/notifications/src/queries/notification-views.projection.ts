import { ProjectionDefinition, ViewFold, viewProjection } from '@herald/runtime';
import { ViewStore } from '@herald/view-store';
import { NOTIFICATION_STREAM_PREFIX, NotificationEvent, isNotificationEvent } from '../domain';
import { NotificationView, projectNotificationView } from './notification-view';

export const NOTIFICATION_VIEWS_PROJECTION = 'query.notification-views';

/** One notification's view from its event: the read model's fold, also what reads fold from a stream. */
export const NOTIFICATION_VIEW_FOLD: ViewFold<NotificationView, NotificationEvent> = {
  isEvent: isNotificationEvent,
  project: projectNotificationView,
};

/** Keeps the notification read model up to date from the log. */
export function notificationViewsProjection(views: ViewStore<NotificationView>): ProjectionDefinition {
  return viewProjection({
    ...NOTIFICATION_VIEW_FOLD,
    name: NOTIFICATION_VIEWS_PROJECTION,
    categories: [NOTIFICATION_STREAM_PREFIX],
    store: views,
    idOf: (e) => e.data.notificationId,
    creates: (e) => e.type === 'NotificationPublished',
  });
}
