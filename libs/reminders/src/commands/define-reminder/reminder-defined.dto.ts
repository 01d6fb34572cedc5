import { ApiDateTime, ApiUuid } from '@herald/platform';
import { ReminderStatus } from '../../domain';

/** POST /api/v1/reminders: the reminder defined (or, repeating an Idempotency-Key, the one defined then, as it stands). */
export class ReminderDefinedDto {
  @ApiUuid()
  id!: string;

  /** Active when just defined. */
  status!: ReminderStatus;

  /** Seconds until it is due; 0 once it is not Active. */
  timeLeft!: number;

  @ApiDateTime()
  dueAt!: string;
}
