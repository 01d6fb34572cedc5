import { IsBoolean, IsISO8601, IsObject, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { integerRangeProblem } from '@herald/kernel';
import { SatisfiesRule, readableDateTimeProblem } from '@herald/platform';
import { catchupPolicyProblem, cronProblem, overlapProblem, timeZoneProblem } from '../domain';
import type { CatchupPolicy, OverlapPolicy, ScheduleTarget } from '../domain';

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
  @IsOptional()
  @SatisfiesRule(timeZoneProblem)
  timeZone?: string;

  @IsOptional()
  @SatisfiesRule(overlapProblem)
  overlap?: OverlapPolicy;

  @IsOptional()
  @SatisfiesRule(catchupPolicyProblem)
  catchup?: CatchupPolicy;

  @IsOptional()
  @SatisfiesRule((v) => integerRangeProblem('catchupMax', v, 1, CATCHUP_MAX_LIMIT))
  catchupMax?: number;

  @IsOptional()
  @SatisfiesRule((v) => integerRangeProblem('catchupWindowMs', v, 0, CATCHUP_WINDOW_LIMIT_MS))
  catchupWindowMs?: number;

  @IsOptional()
  @IsISO8601(ISO, { message: 'endAt must be an ISO-8601 date-time such as 2027-01-01T00:00:00Z' })
  @Matches(WITH_ZONE, { message: 'endAt must end with a time zone (Z or ±hh:mm)' })
  @SatisfiesRule(readableDateTimeProblem('endAt'))
  endAt?: string;
}

/** POST /api/v1/schedules */
export class CreateScheduleDto extends ScheduleFieldsDto {
  @SatisfiesRule(cronProblem)
  cron!: string;

  @SatisfiesRule(targetShapeProblem)
  target!: ScheduleTarget;

  @IsOptional()
  @IsISO8601(ISO, { message: 'startAt must be an ISO-8601 date-time such as 2027-01-01T00:00:00Z' })
  @Matches(WITH_ZONE, { message: 'startAt must end with a time zone (Z or ±hh:mm)' })
  @SatisfiesRule(readableDateTimeProblem('startAt'))
  startAt?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  owner?: string;

  @IsOptional()
  @IsBoolean()
  paused?: boolean;
}

/** PATCH /api/v1/schedules/:id: what changes from the next occurrence on. */
export class UpdateScheduleDto extends ScheduleFieldsDto {
  @IsOptional()
  @SatisfiesRule(cronProblem)
  cron?: string;

  @IsOptional()
  @IsObject()
  @SatisfiesRule(targetShapeProblem)
  target?: ScheduleTarget;
}

/** POST /api/v1/schedules/:id/pause */
export class PauseScheduleDto {
  @IsOptional()
  @IsString()
  @MaxLength(1_000)
  note?: string;
}

/** POST /api/v1/schedules/preview: the occurrences of a schedule not yet created. */
export class PreviewDto {
  @SatisfiesRule(cronProblem)
  cron!: string;

  @IsOptional()
  @SatisfiesRule(timeZoneProblem)
  timeZone?: string;

  @IsOptional()
  @SatisfiesRule((v) => integerRangeProblem('count', v, 1, 100))
  count?: number;

  @IsOptional()
  @IsISO8601(ISO, { message: 'from must be an ISO-8601 date-time such as 2027-01-01T00:00:00Z' })
  @Matches(WITH_ZONE, { message: 'from must end with a time zone (Z or ±hh:mm)' })
  @SatisfiesRule(readableDateTimeProblem('from'))
  from?: string;
}
