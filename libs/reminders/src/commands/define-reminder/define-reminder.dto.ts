import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { addressProblem, headersProblem, REMINDER_LIMITS } from '../../domain';
import { SatisfiesRule } from '@herald/platform';
import { ownerProblem } from '@herald/kernel';
import { DueTimeDto } from '../due-time/due-time.dto';

/** POST /api/v1/reminders. The Reminders service's body, plus dueAt and delivery options. */
export class DefineReminderDto extends DueTimeDto {
  @SatisfiesRule(addressProblem)
  address!: string;

  @IsOptional()
  payload?: unknown;

  @IsOptional()
  @SatisfiesRule(headersProblem)
  headers?: Record<string, string>;

  @IsOptional()
  @IsInt()
  @Min(REMINDER_LIMITS.minAttempts)
  @Max(REMINDER_LIMITS.maxAttempts)
  maxAttempts?: number;

  @IsOptional()
  @IsInt()
  @Min(REMINDER_LIMITS.minTimeoutMs)
  @Max(REMINDER_LIMITS.maxTimeoutMs)
  timeoutMs?: number;

  /** Whose reminder it is; an API key with an owner sets its own (a different one is a 403). */
  @IsOptional()
  @SatisfiesRule(ownerProblem)
  owner?: string;
}
