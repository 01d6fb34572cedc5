import { IsOptional } from 'class-validator';
import { ApiDateTime } from '@herald/platform';
import { IsDueAtString } from '../due-time/due-time.dto';

/** The optional body of POST /api/v1/reminders/:id/retrigger: when to fire again (default: at once). */
export class RetriggerReminderDto {
  /** When to fire again, with a time zone; absent: at once. */
  @ApiDateTime()
  @IsOptional()
  @IsDueAtString()
  dueAt?: string;
}
