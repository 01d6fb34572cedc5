import { Command } from '@nestjs/cqrs';

export class CancelReminderCommand extends Command<void> {
  constructor(readonly reminderId: string) {
    super();
  }
}
