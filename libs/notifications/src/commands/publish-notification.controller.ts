import { Body, Controller, Headers, Logger, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CreateRoute, IdempotentCreation, createResource } from '@herald/runtime';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, HeraldConfig, Principal, RequestTraceparent, assertJsonWithin } from '@herald/platform';
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
  @CreateRoute({ status: 201, type: NotificationDto, description: 'Published' })
  @ApiOperation({
    operationId: 'notifications.publish',
    summary: 'Publish a notification',
    description:
      'On `channel` (default `general`), and at once on the live feed (`GET /api/v1/stream?category=notification`). Never changes afterwards.',
  })
  async publish(
    @Body() body: PublishNotificationDto,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Caller() caller: Principal,
    @RequestTraceparent() traceparent: string,
    @Headers('idempotency-key') idempotencyKey?: string,
  ) {
    assertJsonWithin('data', body.data, this.config.PAYLOAD_MAX_BYTES);
    const state = await createResource(
      this.idempotent,
      { body, reply, caller, traceparent, idempotencyKey },
      {
        kind: 'notification',
        collection: '/api/v1/notifications',
        create: async (notificationId, { commandId, owner }) => {
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
        createdAtOf: (notification) => notification.publishedAt,
        idOf: (notification) => notification.notificationId,
      },
    );
    return toNotificationResponse(state);
  }
}
