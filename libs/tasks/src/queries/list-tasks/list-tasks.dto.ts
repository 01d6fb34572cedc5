import { Transform } from 'class-transformer';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { ApiCommaList, ApiDateTime, PageQueryDto, SatisfiesRule, readableDateTimeProblem } from '@herald/platform';
import { TASK_TYPE_SCHEMA } from '../../commands/enqueue-task/enqueue-task.dto';
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
  /** Only tasks of this type. */
  @ApiPropertyOptional(TASK_TYPE_SCHEMA)
  @IsOptional()
  @SatisfiesRule(taskTypeProblem)
  type?: string;

  /** Only this owner's tasks (an API key with an owner sees only its own, whatever is asked). */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  owner?: string;

  /** Only tasks in any of these statuses: a comma list (`Queued,Running`). */
  @ApiCommaList(TASK_STATUSES)
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').map((s) => s.trim()) : value))
  @SatisfiesRule(statusesProblem)
  status?: TaskStatus[];

  /** Only tasks with this tag. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  tag?: string;

  /** Only the tasks a schedule's occurrences enqueued. */
  @IsOptional()
  @IsUUID()
  scheduleId?: string;

  /** Only tasks created after this time. */
  @ApiDateTime()
  @IsOptional()
  @IsISO8601(ISO, { message: 'createdAfter must be an ISO-8601 date-time such as 2026-11-23T09:00:00.000Z' })
  @SatisfiesRule(readableDateTimeProblem('createdAfter'))
  createdAfter?: string;

  /** Only tasks created before this time. */
  @ApiDateTime()
  @IsOptional()
  @IsISO8601(ISO, { message: 'createdBefore must be an ISO-8601 date-time such as 2026-11-23T09:00:00.000Z' })
  @SatisfiesRule(readableDateTimeProblem('createdBefore'))
  createdBefore?: string;

  /** Both newest first. */
  @ApiPropertyOptional({ enum: ['createdAt', 'updatedAt'] })
  @IsOptional()
  @IsIn(['createdAt', 'updatedAt'], { message: 'order must be createdAt or updatedAt (both newest first)' })
  order: TaskOrder = 'createdAt';
}
