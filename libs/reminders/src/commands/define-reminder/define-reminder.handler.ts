import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { CLOCK, Clock } from '@herald/kernel';
import { CommandRunner } from '@herald/runtime';
import { REMINDER } from '../../reminder-aggregate';
import { DefineReminderCommand, ReminderDefinedResult } from './define-reminder.command';
import { dueAtFrom } from '../due-time/due-time.dto';

@CommandHandler(DefineReminderCommand)
export class DefineReminderHandler implements ICommandHandler<DefineReminderCommand> {
  private readonly logger = new Logger('DefineReminder');

  constructor(
    private readonly commands: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ input }: DefineReminderCommand): Promise<ReminderDefinedResult> {
    const now = this.clock.now();
    const reminderId = input.reminderId ?? randomUUID();
    const dueAt = dueAtFrom(input, now);
    // A new stream: no read needed, and no_stream makes a duplicate id a conflict rather than an overwrite.
    const { reminderId: _id, commandId, traceparent, ...fields } = input;
    await this.commands.run(
      REMINDER,
      reminderId,
      { type: 'DefineReminder', reminderId, ...fields, dueAt, now },
      { expected: 'no_stream', commandId, traceparent },
    );
    this.logger.debug({ reminderId, dueAt, address: input.address }, 'reminder defined');
    return { id: reminderId, dueAt, definedAt: now };
  }
}
