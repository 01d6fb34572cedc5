import { IsBoolean, IsOptional } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { SatisfiesRule } from '@herald/platform';
import { TASK_LIMITS, reasonProblem } from '../../domain';

/** The optional body of pause, resume and cancel. */
export class TaskActionDto {
  /** Why, for the task's history. */
  @ApiPropertyOptional({ maxLength: TASK_LIMITS.maxReasonLength })
  @IsOptional()
  @SatisfiesRule(reasonProblem)
  reason?: string;
}

/** The optional body of retrigger. */
export class RetriggerTaskDto extends TaskActionDto {
  /** Start again from the last checkpoint (default) or from scratch. */
  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  fromCheckpoint?: boolean;
}
