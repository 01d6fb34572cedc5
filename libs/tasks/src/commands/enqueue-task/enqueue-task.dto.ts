import { IsISO8601, IsOptional, Matches } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiDateTime, ApiJsonValue, SatisfiesRule } from '@herald/platform';
import { MAX_OWNER_LENGTH } from '@herald/kernel';
import { TASK_LIMITS, heartbeatTimeoutProblem, maxAttemptsProblem, ownerProblem, priorityProblem, tagsProblem, taskTypeProblem } from '../../domain';

/** The schema of a task type (taskTypeProblem's rule), for the OpenAPI document. */
export const TASK_TYPE_SCHEMA = { minLength: 1, maxLength: TASK_LIMITS.maxTypeLength, pattern: '^[A-Za-z0-9._:-]+$', example: 'report.export' };

/** POST /api/v1/tasks. Rules are the domain's own, so the HTTP layer and the decider say the same thing. */
export class EnqueueTaskDto {
  /** The kind of task: what workers ask for. */
  @ApiProperty(TASK_TYPE_SCHEMA)
  @SatisfiesRule(taskTypeProblem)
  type!: string;

  /** Handed to the worker as it is (at most PAYLOAD_MAX_BYTES of JSON). */
  @ApiJsonValue()
  @IsOptional()
  params?: unknown;

  /** Whose task it is; an API key with an owner sets its own (a different one is a 403). */
  @ApiPropertyOptional({ minLength: 1, maxLength: MAX_OWNER_LENGTH })
  @IsOptional()
  @SatisfiesRule(ownerProblem)
  owner?: string;

  /** Labels to filter lists by. */
  @ApiPropertyOptional({
    type: [String],
    maxItems: TASK_LIMITS.maxTags,
    items: { type: 'string', minLength: 1, maxLength: TASK_LIMITS.maxTagLength },
  })
  @IsOptional()
  @SatisfiesRule(tagsProblem)
  tags?: string[];

  /** 0 lowest (the default) to 9 highest: workers lease higher priorities first, then the longest waiting. */
  @ApiPropertyOptional({ type: 'integer', minimum: TASK_LIMITS.minPriority, maximum: TASK_LIMITS.maxPriority, default: 0 })
  @IsOptional()
  @SatisfiesRule(priorityProblem)
  priority?: number;

  /** Not before this time, with a time zone (at most 10 years ahead; up to 24 hours past means now). Absent: now. */
  @ApiDateTime()
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true }, { message: 'runAt must be an ISO-8601 date-time such as 2026-11-23T09:00:00.000Z' })
  @Matches(/(Z|[+-]\d{2}:\d{2})$/, { message: 'runAt must end with a time zone (Z or ±hh:mm)' })
  runAt?: string;

  /** Leases that may fail or lapse before the task fails. */
  @ApiPropertyOptional({ type: 'integer', minimum: TASK_LIMITS.minAttempts, maximum: TASK_LIMITS.maxAttempts, default: 3 })
  @IsOptional()
  @SatisfiesRule(maxAttemptsProblem)
  maxAttempts?: number;

  /** How long a lease lives without a heartbeat. */
  @ApiPropertyOptional({ type: 'integer', minimum: TASK_LIMITS.minHeartbeatTimeoutMs, maximum: TASK_LIMITS.maxHeartbeatTimeoutMs, default: 30_000 })
  @IsOptional()
  @SatisfiesRule(heartbeatTimeoutProblem)
  heartbeatTimeoutMs?: number;
}
