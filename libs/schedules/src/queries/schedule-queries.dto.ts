import { Transform, Type } from 'class-transformer';
import { IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { integerRangeProblem } from '@herald/kernel';
import { PageQueryDto, SatisfiesRule, readableDateTimeProblem } from '@herald/platform';
import { ScheduleStatus } from '../domain';

const STATUSES: readonly ScheduleStatus[] = ['Active', 'Paused', 'Ended'];

function statusesProblem(value: unknown): string | null {
  const bad = (value as string[]).find((s) => !(STATUSES as readonly string[]).includes(s));
  return bad === undefined ? null : `status must be a comma-separated list of ${STATUSES.join(', ')} (got ${JSON.stringify(bad)})`;
}

/** GET /api/v1/schedules */
export class ListSchedulesDto extends PageQueryDto {
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').map((s) => s.trim()) : value))
  @SatisfiesRule(statusesProblem)
  status?: ScheduleStatus[];

  @IsOptional()
  @IsString()
  @MaxLength(200)
  owner?: string;
}

/** GET /api/v1/schedules/:id/preview */
export class PreviewQueryDto {
  @IsOptional()
  @Type(() => Number)
  @SatisfiesRule((v) => integerRangeProblem('count', v, 1, 100))
  count?: number;

  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true }, { message: 'from must be an ISO-8601 date-time such as 2027-01-01T00:00:00Z' })
  @Matches(/(Z|[+-]\d{2}:\d{2})$/, { message: 'from must end with a time zone (Z or ±hh:mm)' })
  @SatisfiesRule(readableDateTimeProblem('from'))
  from?: string;
}
