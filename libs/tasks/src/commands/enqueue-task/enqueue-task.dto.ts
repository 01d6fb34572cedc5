import { IsISO8601, IsOptional, Matches } from 'class-validator';
import { SatisfiesRule } from '@herald/platform';
import { heartbeatTimeoutProblem, maxAttemptsProblem, ownerProblem, priorityProblem, tagsProblem, taskTypeProblem } from '../../domain';

/** POST /api/v1/tasks. Rules are the domain's own, so the HTTP layer and the decider say the same thing. */
export class EnqueueTaskDto {
  @SatisfiesRule(taskTypeProblem)
  type!: string;

  @IsOptional()
  params?: unknown;

  @IsOptional()
  @SatisfiesRule(ownerProblem)
  owner?: string;

  @IsOptional()
  @SatisfiesRule(tagsProblem)
  tags?: string[];

  @IsOptional()
  @SatisfiesRule(priorityProblem)
  priority?: number;

  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true }, { message: 'runAt must be an ISO-8601 date-time such as 2026-11-23T09:00:00.000Z' })
  @Matches(/(Z|[+-]\d{2}:\d{2})$/, { message: 'runAt must end with a time zone (Z or ±hh:mm)' })
  runAt?: string;

  @IsOptional()
  @SatisfiesRule(maxAttemptsProblem)
  maxAttempts?: number;

  @IsOptional()
  @SatisfiesRule(heartbeatTimeoutProblem)
  heartbeatTimeoutMs?: number;
}
