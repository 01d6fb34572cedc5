import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { CLOCK, Clock } from '@herald/kernel';
import { defineReminder } from '../../domain';
import { ReminderRepository } from '../../reminder-repository';
import { DefineReminderCommand, ReminderDefinedResult } from './define-reminder.command';

@CommandHandler(DefineReminderCommand)
export class DefineReminderHandler implements ICommandHandler<DefineReminderCommand> {
  private readonly logger = new Logger('DefineReminder');

  constructor(
    private readonly reminders: ReminderRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ input }: DefineReminderCommand): Promise<ReminderDefinedResult> {
    const now = this.clock.now();
    const reminderId = randomUUID();
    const dueAt = input.dueAt ?? new Date(now.getTime() + (input.delayMs ?? 0));
    const events = defineReminder({ type: 'DefineReminder', reminderId, ...input, dueAt, now }, null);
    await this.reminders.append(reminderId, events, 'no_stream');
    this.logger.debug({ reminderId, dueAt, address: input.address }, 'reminder defined');
    return { id: reminderId, dueAt };
  }
}
