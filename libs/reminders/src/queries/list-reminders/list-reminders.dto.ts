import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { PageQueryDto, SatisfiesRule } from '@herald/platform';
import { MAX_OWNER_LENGTH, ownerProblem } from '@herald/kernel';
import { ReminderStatus } from '../../domain';
import { ReminderOrder } from '../reminder-view';

const STATUSES: ReminderStatus[] = ['Active', 'Completed', 'Failed', 'Cancelled'];

export class ListRemindersDto extends PageQueryDto {
  /** Only reminders in this status. */
  @IsOptional()
  @IsIn(STATUSES, { message: `status must be one of ${STATUSES.join(', ')}` })
  status?: ReminderStatus;

  /** `createdAt`: newest first; `dueAt`: soonest first. */
  @ApiPropertyOptional({ enum: ['createdAt', 'dueAt'] })
  @IsOptional()
  @IsIn(['createdAt', 'dueAt'], { message: 'order must be createdAt (newest first) or dueAt (soonest first)' })
  order: ReminderOrder = 'createdAt';

  /** Only this owner's reminders (an API key with an owner sees only its own, whatever is asked). */
  @ApiPropertyOptional({ minLength: 1, maxLength: MAX_OWNER_LENGTH })
  @IsOptional()
  @SatisfiesRule(ownerProblem)
  owner?: string;

  /** Only the reminders a schedule's occurrences defined. */
  @IsOptional()
  @IsUUID(undefined, { message: 'scheduleId must be a UUID' })
  scheduleId?: string;
}
