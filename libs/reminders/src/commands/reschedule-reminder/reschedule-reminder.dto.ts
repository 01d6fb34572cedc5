import { DueTimeDto } from '../due-time/due-time.dto';

/** POST /api/v1/reminders/:id/reschedule: the new due time, said as when defining one (`dueAt`, or `hours`/`minutes`/`seconds` from now). */
export class RescheduleReminderDto extends DueTimeDto {}
