import { IsBoolean, IsOptional } from 'class-validator';
import { SatisfiesRule } from '@herald/platform';
import { reasonProblem } from '../../domain';

/** The optional body of pause, resume and cancel. */
export class TaskActionDto {
  @IsOptional()
  @SatisfiesRule(reasonProblem)
  reason?: string;
}

/** The optional body of retrigger. */
export class RetriggerTaskDto extends TaskActionDto {
  /** Start again from the last checkpoint (default) or from scratch. */
  @IsOptional()
  @IsBoolean()
  fromCheckpoint?: boolean;
}
