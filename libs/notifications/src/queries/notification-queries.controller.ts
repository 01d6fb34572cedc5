import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Caller, Principal, ownerFor } from '@herald/platform';
import { OwnedBy } from '@herald/runtime';
import { notificationNotFound } from '../domain';
import { NOTIFICATION } from '../notification-aggregate';
import { ListNotificationsDto } from './notification-queries.dto';
import { GetNotificationQuery, ListNotificationsQuery } from './notification-queries';
import { toNotificationResponse } from './notification-view';

/** The read side of notifications: a notification published a moment ago may take milliseconds to appear. */
@OwnedBy(NOTIFICATION)
@Controller('api/v1/notifications')
export class NotificationQueriesController {
  constructor(private readonly queries: QueryBus) {}

  /** { items, nextCursor }: pass nextCursor back as `cursor` for the next page; null on the last. */
  @Get()
  async list(@Query() query: ListNotificationsDto, @Caller() caller: Principal) {
    const page = await this.queries.execute(new ListNotificationsQuery({ ...query, owner: ownerFor(caller, query.owner) ?? undefined }));
    return { items: page.items.map(toNotificationResponse), nextCursor: page.nextCursor };
  }

  @Get(':id')
  async get(@Param('id', new ParseUUIDPipe()) id: string) {
    const view = await this.queries.execute(new GetNotificationQuery(id));
    // The domain's own answer, so an unknown id and another owner's read the same (see OwnedBy).
    if (!view) throw notificationNotFound(id);
    return toNotificationResponse(view);
  }
}
