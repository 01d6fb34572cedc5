import { IsOptional } from 'class-validator';
import { IsDueAtString } from '../due-time/due-time.dto';

/** The optional body of POST /api/v1/reminders/:id/retrigger: when to fire again (default: at once). */
export class RetriggerReminderDto {
  @IsOptional()
  @IsDueAtString()
  dueAt?: string;
}
