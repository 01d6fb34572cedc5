import { FeedSource } from '@herald/runtime';
import { ViewStore } from '@herald/view-store';
import { NOTIFICATION_STREAM_PREFIX, NotificationPublishedData } from '../domain';
import { NotificationView } from './notification-view';

/** Notifications on the live feed: their owner and channel are stated by the one event they have. */
export function notificationFeedSource(views: ViewStore<NotificationView>): FeedSource {
  return {
    category: 'notification',
    streamPrefix: NOTIFICATION_STREAM_PREFIX,
    ownerIn: (e) => (e.type === 'NotificationPublished' ? ((e.data as NotificationPublishedData).owner ?? null) : undefined),
    lookupOwner: async (id) => (await views.get(id))?.owner ?? null,
    channelOf: (e) => (e.type === 'NotificationPublished' ? (e.data as NotificationPublishedData).channel : undefined),
  };
}
