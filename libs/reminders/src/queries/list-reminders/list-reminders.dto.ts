import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { ReminderStatus } from '../../domain';
import { ReminderOrder } from '../reminder-view';

const STATUSES: ReminderStatus[] = ['Active', 'Completed', 'Failed', 'Cancelled'];

export class ListRemindersDto {
  @IsOptional()
  @IsIn(STATUSES, { message: `status must be one of ${STATUSES.join(', ')}` })
  status?: ReminderStatus;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 50;

  @IsOptional()
  @IsString()
  cursor?: string;

  @IsOptional()
  @IsIn(['createdAt', 'dueAt'], { message: 'order must be createdAt (newest first) or dueAt (soonest first)' })
  order: ReminderOrder = 'createdAt';
}
