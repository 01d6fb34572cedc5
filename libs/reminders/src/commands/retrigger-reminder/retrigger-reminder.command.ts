import { Command } from '@nestjs/cqrs';
import { ReminderView } from '../../queries/reminder-view';

/** Answers with the reminder as it stands after the command. */
export class RetriggerReminderCommand extends Command<ReminderView> {
  constructor(
    readonly reminderId: string,
    /** Absent: fire at once. */
    readonly dueAt?: Date,
  ) {
    super();
  }
}
