import { Command } from '@nestjs/cqrs';
import { ReminderView } from '../../queries/reminder-view';
import { DueTime } from '../due-time/due-time.dto';

/** Answers with the reminder as it stands after the command. */
export class RescheduleReminderCommand extends Command<ReminderView> {
  constructor(
    readonly reminderId: string,
    readonly due: DueTime,
    /** The request's trace (RequestTraceparent): its events are filed under it. */
    readonly traceparent?: string,
  ) {
    super();
  }
}
