import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '@herald/platform';
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

  /** Only the reminders a schedule's occurrences defined. */
  @IsOptional()
  @IsUUID(undefined, { message: 'scheduleId must be a UUID' })
  scheduleId?: string;
}
