import { FeedSource } from '@herald/runtime';
import { NOTIFICATION_STREAM_PREFIX, NotificationPublishedData } from '../domain';

/** Notifications on the live feed: their owner and channel are stated by the one event they have. */
export const NOTIFICATION_FEED_SOURCE: FeedSource = {
  category: 'notification',
  streamPrefix: NOTIFICATION_STREAM_PREFIX,
  ownerIn: (e) => (e.type === 'NotificationPublished' ? ((e.data as NotificationPublishedData).owner ?? null) : undefined),
  channelOf: (e) => (e.type === 'NotificationPublished' ? (e.data as NotificationPublishedData).channel : undefined),
};
