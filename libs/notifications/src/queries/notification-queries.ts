import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ViewPage, ViewStore } from '@herald/view-store';
import { NOTIFICATION_VIEWS, NotificationView } from './notification-view';

export class GetNotificationQuery extends Query<NotificationView | null> {
  constructor(readonly notificationId: string) {
    super();
  }
}

export interface NotificationCriteria {
  channel?: string[];
  owner?: string;
  limit: number;
  cursor?: string;
}

export class ListNotificationsQuery extends Query<ViewPage<NotificationView>> {
  constructor(readonly criteria: NotificationCriteria) {
    super();
  }
}

@QueryHandler(GetNotificationQuery)
export class GetNotificationHandler implements IQueryHandler<GetNotificationQuery> {
  constructor(@Inject(NOTIFICATION_VIEWS) private readonly views: ViewStore<NotificationView>) {}

  execute({ notificationId }: GetNotificationQuery) {
    return this.views.get(notificationId);
  }
}

/** Newest first (createdAt, then id: keyset pages that neither skip nor repeat). */
@QueryHandler(ListNotificationsQuery)
export class ListNotificationsHandler implements IQueryHandler<ListNotificationsQuery> {
  constructor(@Inject(NOTIFICATION_VIEWS) private readonly views: ViewStore<NotificationView>) {}

  execute({ criteria: c }: ListNotificationsQuery) {
    return this.views.list({
      where: { channel: c.channel ? { in: c.channel } : undefined, owner: c.owner },
      order: 'createdAt',
      limit: c.limit,
      cursor: c.cursor,
    });
  }
}
