import { Command } from '@nestjs/cqrs';

export class CancelReminderCommand extends Command<void> {
  constructor(
    readonly reminderId: string,
    /** The request's trace (RequestTraceparent): its events are filed under it. */
    readonly traceparent?: string,
  ) {
    super();
  }
}
