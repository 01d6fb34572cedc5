import { NotificationEvent } from './events/notification-events';

export interface PublishedNotification {
  readonly notificationId: string;
  readonly channel: string;
  readonly message: string;
  readonly data: unknown;
  readonly owner: string | null;
  readonly publishedAt: string;
}

/** null until published: a stream that does not exist. */
export type NotificationState = PublishedNotification | null;

export const initialNotificationState = (): NotificationState => null;

export function evolveNotification(state: NotificationState, event: NotificationEvent): NotificationState {
  switch (event.type) {
    case 'NotificationPublished': {
      const { notificationId, channel, message, data, owner, publishedAt } = event.data;
      return { notificationId, channel, message, data, owner, publishedAt };
    }
    default:
      return state;
  }
}
