import { ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { ApiJsonValue, AssertSameShape } from '@herald/platform';
import type { ReminderTarget, TaskTarget } from '../domain';

/**
 * The two shapes of a schedule's `target`, for the OpenAPI document. They are
 * checked when the schedule is created or changed by the reminder and the task
 * rules themselves (POST /api/v1/reminders, POST /api/v1/tasks: the same bounds),
 * so an occurrence never fails on them.
 */

/** What each occurrence defines: a reminder due at the occurrence, as POST /api/v1/reminders takes it (no due time, no owner: the schedule's). */
export class ReminderTargetDto {
  /** Where the callback goes: an absolute http(s) URL. */
  address!: string;

  /** Sent back in each callback as it is. */
  @ApiJsonValue()
  payload?: unknown;

  /** Headers each callback sends; the schedule shows only their names (values `[redacted]`). */
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  headers?: Readonly<Record<string, string>>;

  @ApiPropertyOptional({ type: 'integer' })
  maxAttempts?: number;

  @ApiPropertyOptional({ type: 'integer' })
  timeoutMs?: number;
}

/** What each occurrence enqueues: a task, as POST /api/v1/tasks takes it (no runAt: the occurrence). */
export class TaskTargetDto {
  type!: string;

  @ApiJsonValue()
  params?: unknown;

  owner?: string;

  @ApiPropertyOptional({ type: [String] })
  tags?: readonly string[];

  @ApiPropertyOptional({ type: 'integer' })
  priority?: number;

  @ApiPropertyOptional({ type: 'integer' })
  maxAttempts?: number;
}

export class ScheduleReminderTargetDto {
  reminder!: ReminderTargetDto;
}

export class ScheduleTaskTargetDto {
  task!: TaskTargetDto;
}

/** `target`: exactly one of `{ reminder: … }` or `{ task: … }`. */
export const SCHEDULE_TARGET_SCHEMA = {
  oneOf: [{ $ref: getSchemaPath(ScheduleReminderTargetDto) }, { $ref: getSchemaPath(ScheduleTaskTargetDto) }],
};

const _sameReminder: AssertSameShape<ReminderTargetDto, ReminderTarget> = true;
const _sameTask: AssertSameShape<TaskTargetDto, TaskTarget> = true;
