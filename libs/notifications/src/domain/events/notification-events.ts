import { DomainEvent } from '@herald/kernel';

/** A notification as published: it never changes afterwards. Times are ISO-8601 with milliseconds, UTC. */
export interface NotificationPublishedData {
  notificationId: string;
  /** `general` unless the publisher named one (`task:<id>`, a team, …). */
  channel: string;
  message: string;
  /** Any JSON the publisher attached; null when none. */
  data: unknown;
  owner: string | null;
  publishedAt: string;
}

export type NotificationPublished = DomainEvent<'NotificationPublished', NotificationPublishedData>;

export type NotificationEvent = NotificationPublished;

export const NOTIFICATION_EVENT_TYPES: readonly NotificationEvent['type'][] = ['NotificationPublished'];

export function isNotificationEvent(event: { type: string }): event is NotificationEvent {
  return (NOTIFICATION_EVENT_TYPES as readonly string[]).includes(event.type);
}

/** Streams are named `notification-<id>`, one per notification. */
export const NOTIFICATION_STREAM_PREFIX = 'notification-';
export const notificationStream = (notificationId: string) => `${NOTIFICATION_STREAM_PREFIX}${notificationId}`;

export const notificationPublished = (data: NotificationPublishedData): NotificationPublished => ({
  type: 'NotificationPublished',
  version: 1,
  data,
});
