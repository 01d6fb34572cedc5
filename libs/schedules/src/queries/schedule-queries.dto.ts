import { Transform, Type } from 'class-transformer';
import { IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { integerRangeProblem } from '@herald/kernel';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { ApiCommaList, ApiDateTime, PageQueryDto, SatisfiesRule, readableDateTimeProblem } from '@herald/platform';
import { ScheduleStatus } from '../domain';

const STATUSES: readonly ScheduleStatus[] = ['Active', 'Paused', 'Ended'];

function statusesProblem(value: unknown): string | null {
  const bad = (value as string[]).find((s) => !(STATUSES as readonly string[]).includes(s));
  return bad === undefined ? null : `status must be a comma-separated list of ${STATUSES.join(', ')} (got ${JSON.stringify(bad)})`;
}

/** GET /api/v1/schedules */
export class ListSchedulesDto extends PageQueryDto {
  /** Only schedules in any of these statuses: a comma list (`Active,Paused`). */
  @ApiCommaList(STATUSES)
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').map((s) => s.trim()) : value))
  @SatisfiesRule(statusesProblem)
  status?: ScheduleStatus[];

  /** Only this owner's schedules (an API key with an owner sees only its own, whatever is asked). */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  owner?: string;
}

/** GET /api/v1/schedules/:id/preview */
export class PreviewQueryDto {
  /** How many occurrences (default 10). */
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 10 })
  @IsOptional()
  @Type(() => Number)
  @SatisfiesRule((v) => integerRangeProblem('count', v, 1, 100))
  count?: number;

  /** The first after this time, with a time zone (default now; never before the schedule's startAt). */
  @ApiDateTime()
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true }, { message: 'from must be an ISO-8601 date-time such as 2027-01-01T00:00:00Z' })
  @Matches(/(Z|[+-]\d{2}:\d{2})$/, { message: 'from must end with a time zone (Z or ±hh:mm)' })
  @SatisfiesRule(readableDateTimeProblem('from'))
  from?: string;
}
