import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, Clock } from '@herald/kernel';
import { cancelReminder } from '../../domain';
import { ReminderRepository } from '../../reminder-repository';
import { CancelReminderCommand } from './cancel-reminder.command';

@CommandHandler(CancelReminderCommand)
export class CancelReminderHandler implements ICommandHandler<CancelReminderCommand> {
  private readonly logger = new Logger('CancelReminder');

  constructor(
    private readonly reminders: ReminderRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ reminderId }: CancelReminderCommand): Promise<void> {
    const { state, expected } = await this.reminders.load(reminderId);
    const events = cancelReminder({ type: 'CancelReminder', reminderId, now: this.clock.now() }, state);
    // A callback outcome recorded meanwhile makes this a 409, never a silent overwrite.
    await this.reminders.append(reminderId, events, expected);
    this.logger.log({ reminderId }, 'reminder cancelled');
  }
}
