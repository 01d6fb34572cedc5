import { ViewDefinition, ViewPage } from '@herald/view-store';
import { NotificationEvent, PublishedNotification } from '../domain';

/** The query side's record of a notification (published once, never changed). */
export interface NotificationView {
  id: string;
  revision: number;
  channel: string;
  message: string;
  data: unknown;
  owner: string | null;
  createdAt: string;
}

export const NOTIFICATION_VIEW_DEFINITION: ViewDefinition<NotificationView> = {
  name: 'notification_views',
  fields: {
    channel: { type: 'string' },
    owner: { type: 'string' },
    createdAt: { type: 'string' },
  },
  orders: { createdAt: { field: 'createdAt', direction: 'desc' } },
  indexes: [
    ['channel', 'createdAt'],
    ['owner', 'createdAt'],
  ],
};

export const NOTIFICATION_VIEWS = Symbol('NOTIFICATION_VIEWS');

/** The view after one event; null for an event without its publication (none exist: a notification has one event). */
export function projectNotificationView(view: NotificationView | null, event: NotificationEvent, revision: number): NotificationView | null {
  switch (event.type) {
    case 'NotificationPublished': {
      const { notificationId, channel, message, data, owner, publishedAt } = event.data;
      return { id: notificationId, revision, channel, message, data, owner, createdAt: publishedAt };
    }
    default:
      return view;
  }
}

/** The API's shape of a notification: POST's answer (from the write side), GET and the list's items (from the view). */
export function toNotificationResponse(n: PublishedNotification | NotificationView) {
  const id = 'notificationId' in n ? n.notificationId : n.id;
  const createdAt = 'publishedAt' in n ? n.publishedAt : n.createdAt;
  return { id, channel: n.channel, message: n.message, data: n.data, owner: n.owner, createdAt };
}

export type NotificationResponse = ReturnType<typeof toNotificationResponse>;

/** The API's shape of a page of the list (GET /api/v1/notifications). */
export function toNotificationPage(page: ViewPage<NotificationView>) {
  return { items: page.items.map(toNotificationResponse), nextCursor: page.nextCursor };
}
