import { ApiProperty } from '@nestjs/swagger';
import { ApiDateTime, ApiJsonValue, AssertSameShape } from '@herald/platform';
import type { historyResponse } from './stream-history';

/** One event of a resource's stream, as `GET /api/v1/<resources>/:id/events` lists them. */
export class HistoryEventDto {
  /** Its position in the resource's stream, from 0. */
  @ApiProperty({ type: 'integer' })
  revision!: number;

  /** A past-tense fact: `ReminderDefined`, `TaskLeased`, `OccurrenceFired`, … */
  type!: string;

  /** The version of this type's `data`. */
  @ApiProperty({ type: 'integer' })
  version!: number;

  /** What the event records (header values and lease secrets redacted). */
  @ApiJsonValue()
  data!: unknown;

  @ApiDateTime()
  recordedAt!: string;

  /** W3C trace context of the request that appended it, when there was one: where to look the trace up. */
  traceparent?: string;
}

const _sameShape: AssertSameShape<HistoryEventDto, ReturnType<typeof historyResponse>[number]> = true;
