import { RecordedEvent } from '@herald/event-store';
import { notificationPublished } from '../domain';
import { NOTIFICATION_FEED_SOURCE } from './notification-feed';
import { NotificationView, projectNotificationView, toNotificationResponse } from './notification-view';

const ID = '8b7e4c2a-1d3f-4e5a-9b6c-0d1e2f3a4b5c';
const PUBLISHED = notificationPublished({
  notificationId: ID,
  channel: 'task:42',
  message: 'done',
  data: { rows: 7 },
  owner: 'shop',
  publishedAt: '2027-01-01T09:00:00.123Z',
});
const VIEW: NotificationView = {
  id: ID,
  revision: 0,
  channel: 'task:42',
  message: 'done',
  data: { rows: 7 },
  owner: 'shop',
  createdAt: '2027-01-01T09:00:00.123Z',
};
const recorded = (type: string, data: unknown) => ({ type, data, stream: `notification-${ID}` }) as unknown as RecordedEvent;

describe('the notification view', () => {
  it('is the published notification, createdAt its publication', () => {
    expect(projectNotificationView(null, PUBLISHED, 0)).toEqual(VIEW);
  });

  it('answers the same shape from the write side and the read side', () => {
    const fromView = toNotificationResponse(VIEW);
    expect(fromView).toEqual({
      id: ID,
      channel: 'task:42',
      message: 'done',
      data: { rows: 7 },
      owner: 'shop',
      createdAt: '2027-01-01T09:00:00.123Z',
    });
    const { notificationId, channel, message, data, owner, publishedAt } = PUBLISHED.data;
    expect(toNotificationResponse({ notificationId, channel, message, data, owner, publishedAt })).toEqual(fromView);
  });
});

describe('the notification feed source', () => {
  const source = NOTIFICATION_FEED_SOURCE;

  it('reads owner and channel from NotificationPublished, and says nothing for other events', () => {
    expect([source.category, source.streamPrefix]).toEqual(['notification', 'notification-']);
    expect(source.ownerIn(recorded('NotificationPublished', PUBLISHED.data))).toBe('shop');
    expect(source.ownerIn(recorded('NotificationPublished', { ...PUBLISHED.data, owner: null }))).toBeNull();
    expect(source.channelOf!(recorded('NotificationPublished', PUBLISHED.data))).toBe('task:42');
    expect(source.ownerIn(recorded('SomethingElse', {}))).toBeUndefined();
    expect(source.channelOf!(recorded('SomethingElse', {}))).toBeUndefined();
  });
});
