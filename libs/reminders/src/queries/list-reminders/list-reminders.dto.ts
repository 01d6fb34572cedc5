import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto, SatisfiesRule } from '@herald/platform';
import { ownerProblem } from '@herald/kernel';
import { ReminderStatus } from '../../domain';
import { ReminderOrder } from '../reminder-view';

const STATUSES: ReminderStatus[] = ['Active', 'Completed', 'Failed', 'Cancelled'];

export class ListRemindersDto extends PageQueryDto {
  @IsOptional()
  @IsIn(STATUSES, { message: `status must be one of ${STATUSES.join(', ')}` })
  status?: ReminderStatus;

  @IsOptional()
  @IsIn(['createdAt', 'dueAt'], { message: 'order must be createdAt (newest first) or dueAt (soonest first)' })
  order: ReminderOrder = 'createdAt';

  /** Only this owner's reminders (an API key with an owner sees only its own, whatever is asked). */
  @IsOptional()
  @SatisfiesRule(ownerProblem)
  owner?: string;

  /** Only the reminders a schedule's occurrences defined. */
  @IsOptional()
  @IsUUID(undefined, { message: 'scheduleId must be a UUID' })
  scheduleId?: string;
}
