import { Transform } from 'class-transformer';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageQueryDto, SatisfiesRule, readableDateTimeProblem } from '@herald/platform';
import { TASK_STATUSES, TaskStatus, taskTypeProblem } from '../../domain';
import { TaskOrder } from '../task-view';

const ISO = { strict: true, strictSeparator: true };

function statusesProblem(value: unknown): string | null {
  const list = value as string[];
  const bad = list.find((s) => !(TASK_STATUSES as readonly string[]).includes(s));
  return bad === undefined ? null : `status must be a comma-separated list of ${TASK_STATUSES.join(', ')} (got ${JSON.stringify(bad)})`;
}

/** GET /api/v1/tasks: filters combine with AND; `status` takes a comma list (any of them). */
export class ListTasksDto extends PageQueryDto {
  @IsOptional()
  @SatisfiesRule(taskTypeProblem)
  type?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  owner?: string;

  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').map((s) => s.trim()) : value))
  @SatisfiesRule(statusesProblem)
  status?: TaskStatus[];

  @IsOptional()
  @IsString()
  @MaxLength(100)
  tag?: string;

  @IsOptional()
  @IsUUID()
  scheduleId?: string;

  @IsOptional()
  @IsISO8601(ISO, { message: 'createdAfter must be an ISO-8601 date-time such as 2026-11-23T09:00:00.000Z' })
  @SatisfiesRule(readableDateTimeProblem('createdAfter'))
  createdAfter?: string;

  @IsOptional()
  @IsISO8601(ISO, { message: 'createdBefore must be an ISO-8601 date-time such as 2026-11-23T09:00:00.000Z' })
  @SatisfiesRule(readableDateTimeProblem('createdBefore'))
  createdBefore?: string;

  @IsOptional()
  @IsIn(['createdAt', 'updatedAt'], { message: 'order must be createdAt or updatedAt (both newest first)' })
  order: TaskOrder = 'createdAt';
}
