import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, EventStore } from '@herald/event-store';
import { viewById } from '@herald/runtime';
import { ViewPage, ViewStore } from '@herald/view-store';
import { notificationStream } from '../domain';
import { NOTIFICATION_VIEW_FOLD } from './notification-views.projection';
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

/** From the read model, or from the log while the read model has yet to see it (viewById). */
@QueryHandler(GetNotificationQuery)
export class GetNotificationHandler implements IQueryHandler<GetNotificationQuery> {
  constructor(
    @Inject(NOTIFICATION_VIEWS) private readonly views: ViewStore<NotificationView>,
    @Inject(EVENT_STORE) private readonly events: EventStore,
  ) {}

  execute({ notificationId }: GetNotificationQuery) {
    return viewById(this.views, this.events, NOTIFICATION_VIEW_FOLD, notificationId, notificationStream(notificationId));
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
