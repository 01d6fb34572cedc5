import { IsBoolean, IsISO8601, IsObject, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { integerRangeProblem } from '@herald/kernel';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiDateTime, SatisfiesRule, readableDateTimeProblem } from '@herald/platform';
import { catchupPolicyProblem, cronProblem, overlapProblem, timeZoneProblem } from '../domain';
import type { CatchupPolicy, OverlapPolicy, ScheduleTarget } from '../domain';
import { SCHEDULE_TARGET_SCHEMA, ScheduleReminderTargetDto, ScheduleTaskTargetDto } from './schedule-target.dto';

const CRON_SCHEMA = { maxLength: 200, example: '0 9 * * MON-FRI' };
const TIME_ZONE_SCHEMA = { maxLength: 100, example: 'Europe/Berlin' };

const ISO = { strict: true, strictSeparator: true };
const WITH_ZONE = /(Z|[+-]\d{2}:\d{2})$/;
export const CATCHUP_MAX_LIMIT = 10_000;
export const CATCHUP_WINDOW_LIMIT_MS = 30 * 24 * 3_600_000;

function targetShapeProblem(value: unknown): string | null {
  const rule = 'target must be exactly one of { "reminder": { address, … } } or { "task": { type, … } }';
  if (!value || typeof value !== 'object' || Array.isArray(value)) return rule;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'reminder' || keys[0] === 'task') ? null : rule;
}

/** The optional fields POST and PATCH share; rules are the domain's own. */
export class ScheduleFieldsDto {
  /** The IANA time zone the cron is read in (default UTC); occurrences follow its daylight-saving rules as Vixie cron does. */
  @ApiPropertyOptional(TIME_ZONE_SCHEMA)
  @IsOptional()
  @SatisfiesRule(timeZoneProblem)
  timeZone?: string;

  /** Task targets: what an occurrence does while the previous occurrence's task has not finished (default skip). */
  @IsOptional()
  @SatisfiesRule(overlapProblem)
  overlap?: OverlapPolicy;

  /** Occurrences missed while Herald was down: none, the latest, or all within the window (default latest). */
  @IsOptional()
  @SatisfiesRule(catchupPolicyProblem)
  catchup?: CatchupPolicy;

  /** `all` fires at most this many missed occurrences, the most recent (default 100). */
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: CATCHUP_MAX_LIMIT })
  @IsOptional()
  @SatisfiesRule((v) => integerRangeProblem('catchupMax', v, 1, CATCHUP_MAX_LIMIT))
  catchupMax?: number;

  /** Missed occurrences older than this are never fired, whatever the policy (default a day). */
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: CATCHUP_WINDOW_LIMIT_MS })
  @IsOptional()
  @SatisfiesRule((v) => integerRangeProblem('catchupWindowMs', v, 0, CATCHUP_WINDOW_LIMIT_MS))
  catchupWindowMs?: number;

  /** No occurrence after this time, with a time zone; PATCH with null removes the end. */
  @ApiDateTime()
  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsISO8601(ISO, { message: 'endAt must be an ISO-8601 date-time such as 2027-01-01T00:00:00Z' })
  @Matches(WITH_ZONE, { message: 'endAt must end with a time zone (Z or ±hh:mm)' })
  @SatisfiesRule(readableDateTimeProblem('endAt'))
  endAt?: string;
}

/** POST /api/v1/schedules */
@ApiExtraModels(ScheduleReminderTargetDto, ScheduleTaskTargetDto)
export class CreateScheduleDto extends ScheduleFieldsDto {
  /** 5 fields (minute hour day-of-month month day-of-week), or 6 with seconds first. */
  @ApiProperty(CRON_SCHEMA)
  @SatisfiesRule(cronProblem)
  cron!: string;

  /** What each occurrence creates: `{ reminder: … }` or `{ task: … }`, checked by the reminder or task rules. */
  @ApiProperty(SCHEDULE_TARGET_SCHEMA)
  @SatisfiesRule(targetShapeProblem)
  target!: ScheduleTarget;

  /** No occurrence before this time, with a time zone. */
  @ApiDateTime()
  @IsOptional()
  @IsISO8601(ISO, { message: 'startAt must be an ISO-8601 date-time such as 2027-01-01T00:00:00Z' })
  @Matches(WITH_ZONE, { message: 'startAt must end with a time zone (Z or ±hh:mm)' })
  @SatisfiesRule(readableDateTimeProblem('startAt'))
  startAt?: string;

  /** Whose schedule it is (and its occurrences' reminders and tasks); an API key with an owner sets its own. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  owner?: string;

  /** Created Paused: nothing fires until it is resumed. */
  @IsOptional()
  @IsBoolean()
  paused?: boolean;
}

/** PATCH /api/v1/schedules/:id: what changes from the next occurrence on. */
@ApiExtraModels(ScheduleReminderTargetDto, ScheduleTaskTargetDto)
export class UpdateScheduleDto extends ScheduleFieldsDto {
  /** 5 fields (minute hour day-of-month month day-of-week), or 6 with seconds first. */
  @ApiPropertyOptional(CRON_SCHEMA)
  @IsOptional()
  @SatisfiesRule(cronProblem)
  cron?: string;

  /** What each occurrence creates from now on: `{ reminder: … }` or `{ task: … }`. */
  @ApiPropertyOptional(SCHEDULE_TARGET_SCHEMA)
  @IsOptional()
  @IsObject()
  @SatisfiesRule(targetShapeProblem)
  target?: ScheduleTarget;
}

/** POST /api/v1/schedules/:id/pause */
export class PauseScheduleDto {
  /** Why, shown on the schedule while it is paused. */
  @IsOptional()
  @IsString()
  @MaxLength(1_000)
  note?: string;
}

/** POST /api/v1/schedules/preview: the occurrences of a schedule not yet created. */
export class PreviewDto {
  /** 5 fields (minute hour day-of-month month day-of-week), or 6 with seconds first. */
  @ApiProperty(CRON_SCHEMA)
  @SatisfiesRule(cronProblem)
  cron!: string;

  /** The IANA time zone the cron is read in (default UTC). */
  @ApiPropertyOptional(TIME_ZONE_SCHEMA)
  @IsOptional()
  @SatisfiesRule(timeZoneProblem)
  timeZone?: string;

  /** How many occurrences (default 10). */
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 10 })
  @IsOptional()
  @SatisfiesRule((v) => integerRangeProblem('count', v, 1, 100))
  count?: number;

  /** The first after this time, with a time zone (default now). */
  @ApiDateTime()
  @IsOptional()
  @IsISO8601(ISO, { message: 'from must be an ISO-8601 date-time such as 2027-01-01T00:00:00Z' })
  @Matches(WITH_ZONE, { message: 'from must end with a time zone (Z or ±hh:mm)' })
  @SatisfiesRule(readableDateTimeProblem('from'))
  from?: string;
}
