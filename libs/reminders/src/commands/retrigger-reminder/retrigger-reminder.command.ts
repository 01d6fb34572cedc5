import { Command } from '@nestjs/cqrs';
import { ReminderView } from '../../queries/reminder-view';

/** Answers with the reminder as it stands after the command. */
export class RetriggerReminderCommand extends Command<ReminderView> {
  constructor(
    readonly reminderId: string,
    /** Absent: fire at once. */
    readonly dueAt?: Date,
    /** The request's trace (RequestTraceparent): its events are filed under it. */
    readonly traceparent?: string,
  ) {
    super();
  }
}
