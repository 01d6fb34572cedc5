import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiIdParam, Caller, Principal, ownerFor } from '@herald/platform';
import { OwnedBy } from '@herald/runtime';
import { notificationNotFound } from '../domain';
import { NOTIFICATION } from '../notification-aggregate';
import { ListNotificationsDto } from './notification-queries.dto';
import { GetNotificationQuery, ListNotificationsQuery } from './notification-queries';
import { NotificationDto, NotificationPageDto } from './notification-response.dto';
import { toNotificationPage, toNotificationResponse } from './notification-view';

/** The read side of notifications (a GET by id falls back on the log, see viewById). */
@ApiTags('notifications')
@OwnedBy(NOTIFICATION)
@Controller('api/v1/notifications')
export class NotificationQueriesController {
  constructor(private readonly queries: QueryBus) {}

  /** { items, nextCursor }: pass nextCursor back as `cursor` for the next page; null on the last. */
  @Get()
  @ApiOperation({
    operationId: 'notifications.list',
    summary: 'List notifications, a page at a time (newest first)',
    description: 'Filters combine with AND; `channel` takes a comma list (any of them).',
  })
  @ApiOkResponse({ type: NotificationPageDto })
  @ApiErrors(400)
  async list(@Query() query: ListNotificationsDto, @Caller() caller: Principal) {
    const page = await this.queries.execute(new ListNotificationsQuery({ ...query, owner: ownerFor(caller, query.owner) ?? undefined }));
    return toNotificationPage(page);
  }

  @Get(':id')
  @ApiOperation({
    operationId: 'notifications.get',
    summary: 'Read a notification',
    description:
      'From the read side, or from the log while the read side has yet to catch up: a notification published a moment ago is found at once (lists may take milliseconds to show it).',
  })
  @ApiIdParam('notification')
  @ApiOkResponse({ type: NotificationDto })
  @ApiErrors(400, 404)
  async get(@Param('id', new ParseUUIDPipe()) id: string) {
    const view = await this.queries.execute(new GetNotificationQuery(id));
    // The domain's own answer, so an unknown id and another owner's read the same (see OwnedBy).
    if (!view) throw notificationNotFound(id);
    return toNotificationResponse(view);
  }
}
