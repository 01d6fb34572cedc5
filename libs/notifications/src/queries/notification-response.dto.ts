import { ApiProperty } from '@nestjs/swagger';
import { ApiDateTime, ApiJsonValue, ApiUuid, AssertSameShape } from '@herald/platform';
import type { toNotificationPage, toNotificationResponse } from './notification-view';

/** A notification: the answer of publish, GET /api/v1/notifications/:id and the list's items. Published once, never changed. */
export class NotificationDto {
  @ApiUuid()
  id!: string;

  /** `general` unless the publisher named one (`task:<id>`, a team, …). */
  @ApiProperty({ example: 'general' })
  channel!: string;

  message!: string;

  /** Any JSON the publisher attached; null when none. */
  @ApiJsonValue()
  data!: unknown;

  owner!: string | null;

  /** When it was published. */
  @ApiDateTime()
  createdAt!: string;
}

/** GET /api/v1/notifications */
export class NotificationPageDto {
  items!: NotificationDto[];

  /** Pass it back as `cursor` for the next page; null on the last. */
  nextCursor!: string | null;
}

const _sameNotification: AssertSameShape<NotificationDto, ReturnType<typeof toNotificationResponse>> = true;
const _samePage: AssertSameShape<NotificationPageDto, ReturnType<typeof toNotificationPage>> = true;
