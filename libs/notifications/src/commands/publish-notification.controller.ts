import { Body, Controller, Headers, HttpCode, Logger, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import { IdempotentCreation, idempotencyKeyOf } from '@herald/runtime';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiErrors,
  ApiIdempotencyKey,
  Caller,
  HeraldConfig,
  IDEMPOTENT_REPLAYED_HEADER,
  LOCATION_HEADER,
  Principal,
  RequestTraceparent,
  assertJsonWithin,
  ownerFor,
} from '@herald/platform';
import { DEFAULT_CHANNEL } from '../domain';
import { NotificationDto } from '../queries/notification-response.dto';
import { toNotificationResponse } from '../queries/notification-view';
import { NotificationCommands } from './notification-commands';
import { PublishNotificationDto } from './publish-notification.dto';

@ApiTags('notifications')
@Controller('api/v1/notifications')
export class PublishNotificationController {
  private readonly logger = new Logger('Notifications');

  constructor(
    private readonly notifications: NotificationCommands,
    private readonly config: HeraldConfig,
    private readonly idempotent: IdempotentCreation,
  ) {}

  /** 201 with the notification as published (the write side's, so it never lags behind the read model). */
  @Post()
  @HttpCode(201)
  @ApiOperation({
    operationId: 'notifications.publish',
    summary: 'Publish a notification',
    description:
      'On `channel` (default `general`), and at once on the live feed (`GET /api/v1/stream?category=notification`). Never changes afterwards.',
  })
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: NotificationDto, description: 'Published', headers: { ...LOCATION_HEADER, ...IDEMPOTENT_REPLAYED_HEADER } })
  @ApiErrors(400, 422)
  async publish(
    @Body() body: PublishNotificationDto,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Caller() caller: Principal,
    @RequestTraceparent() traceparent: string,
    @Headers('idempotency-key') idempotencyKey?: string,
  ) {
    assertJsonWithin('data', body.data, this.config.PAYLOAD_MAX_BYTES);
    const owner = ownerFor(caller, body.owner);
    const key = idempotencyKeyOf(idempotencyKey, { kind: 'notification', owner, route: 'POST /api/v1/notifications', body });
    const state = await this.idempotent.create(key, reply, {
      freshId: randomUUID,
      traceparent,
      create: async (notificationId, commandId) => {
        const { state: published } = await this.notifications.run(
          {
            type: 'PublishNotification',
            notificationId,
            // null as absent, like the other optional fields: the default channel.
            channel: body.channel ?? DEFAULT_CHANNEL,
            message: body.message,
            data: body.data ?? null,
            owner,
          },
          { expected: 'no_stream', commandId, traceparent },
        );
        this.logger.debug({ notificationId, channel: published!.channel }, 'notification published');
        return published!;
      },
      replay: (notificationId) => this.notifications.current(notificationId),
    });
    void reply.header('Location', `/api/v1/notifications/${state.notificationId}`);
    return toNotificationResponse(state);
  }
}
