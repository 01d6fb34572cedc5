import { ApiProperty } from '@nestjs/swagger';
import { ApiDateTime, ApiUuid, AssertSameShape } from '@herald/platform';
import type { CatchupPolicy, OverlapPolicy, ScheduleStatus, ScheduleTarget } from '../domain';
import { SCHEDULE_TARGET_SCHEMA } from '../commands/schedule-target.dto';
import type { RunOutcome, toRunResponse } from './schedule-runs';
import type { toScheduleResponse } from './schedule-view';

/** A schedule: GET /api/v1/schedules/:id, the list's items, and the answer of every command on it. */
export class ScheduleDto {
  @ApiUuid()
  id!: string;

  cron!: string;

  timeZone!: string;

  /** What each occurrence creates (a reminder target's header values `[redacted]`). */
  @ApiProperty(SCHEDULE_TARGET_SCHEMA)
  target!: ScheduleTarget;

  overlap!: OverlapPolicy;

  catchup!: CatchupPolicy;

  @ApiProperty({ type: 'integer' })
  catchupMax!: number;

  @ApiProperty({ type: 'integer' })
  catchupWindowMs!: number;

  @ApiDateTime()
  startAt!: string | null;

  @ApiDateTime()
  endAt!: string | null;

  owner!: string | null;

  status!: ScheduleStatus;

  /** Deleted: Ended for good, its history still readable. */
  deleted!: boolean;

  /** The note given with the pause, while Paused. */
  pausedNote!: string | null;

  /** The next occurrence; null while paused or ended. */
  @ApiDateTime()
  nextRunAt!: string | null;

  /** When an occurrence last fired. */
  @ApiDateTime()
  lastRunAt!: string | null;

  /** Occurrences fired (one withdrawn by a pause or delete before its time no longer counts). */
  @ApiProperty({ type: 'integer' })
  runs!: number;

  /** Occurrences skipped by the overlap policy. */
  @ApiProperty({ type: 'integer' })
  skipped!: number;

  /** Occurrences missed while Herald was down and not caught up. */
  @ApiProperty({ type: 'integer' })
  missed!: number;

  @ApiDateTime()
  createdAt!: string;

  @ApiDateTime()
  updatedAt!: string;
}

/** GET /api/v1/schedules */
export class SchedulePageDto {
  items!: ScheduleDto[];

  /** Pass it back as `cursor` for the next page; null on the last. */
  nextCursor!: string | null;
}

/** One occurrence of a schedule and what became of it. */
export class ScheduleRunDto {
  @ApiDateTime()
  scheduledFor!: string;

  /** When it fired (for `withdrawn`: when it had been decided); null for `skipped`, `missed`, `buffered`. */
  @ApiDateTime()
  firedAt!: string | null;

  /**
   * `buffered`: held by overlap `bufferOne` until the running task finishes.
   * `withdrawn`: decided ahead of its time, then the schedule was paused or
   * deleted before it came: its reminder or task was cancelled.
   */
  outcome!: RunOutcome;

  /** Fired by POST …/trigger rather than the cron. */
  manual!: boolean;

  /** The reminder it defined (reminder targets, once fired; cancelled if `withdrawn`). */
  @ApiUuid()
  reminderId?: string;

  /** The task it enqueued (task targets, once fired; cancelled if `withdrawn`). */
  @ApiUuid()
  taskId?: string;
}

/** GET /api/v1/schedules/:id/runs: newest first. */
export class ScheduleRunPageDto {
  items!: ScheduleRunDto[];

  /** Pass it back as `cursor` for the next page; null on the last. */
  nextCursor!: string | null;
}

/** The upcoming occurrences, computed exactly as firing computes them. */
export class OccurrencesDto {
  @ApiProperty({ type: 'array', items: { type: 'string', format: 'date-time' } })
  occurrences!: string[];
}

const _sameSchedule: AssertSameShape<ScheduleDto, ReturnType<typeof toScheduleResponse>> = true;
const _sameRun: AssertSameShape<ScheduleRunDto, ReturnType<typeof toRunResponse>> = true;
