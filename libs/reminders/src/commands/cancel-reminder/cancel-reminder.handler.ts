import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, Clock } from '@herald/kernel';
import { CommandRunner } from '@herald/runtime';
import { REMINDER } from '../../reminder-aggregate';
import { CancelReminderCommand } from './cancel-reminder.command';

/** Decided again if a callback outcome lands meanwhile: a failed attempt leaves it cancellable, a completion makes it a 409. */
const RETRIES_ON_CONFLICT = 3;

@CommandHandler(CancelReminderCommand)
export class CancelReminderHandler implements ICommandHandler<CancelReminderCommand> {
  private readonly logger = new Logger('CancelReminder');

  constructor(
    private readonly commands: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ reminderId, traceparent }: CancelReminderCommand): Promise<void> {
    const cancel = { type: 'CancelReminder' as const, reminderId, now: this.clock.now() };
    await this.commands.run(REMINDER, reminderId, cancel, { retryOnConflict: RETRIES_ON_CONFLICT, traceparent });
    this.logger.log({ reminderId }, 'reminder cancelled');
  }
}
