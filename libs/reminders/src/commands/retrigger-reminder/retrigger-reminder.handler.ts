import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, Clock } from '@herald/kernel';
import { EVENT_STORE, EventStore } from '@herald/event-store';
import { CommandRunner } from '@herald/runtime';
import { ReminderView } from '../../queries/reminder-view';
import { reminderViewOf } from '../../queries/reminder-from-stream';
import { REMINDER } from '../../reminder-aggregate';
import { RetriggerReminderCommand } from './retrigger-reminder.command';

/** A finished reminder has no callback in flight; a retry on conflict only covers two users acting at once. */
const RETRIES_ON_CONFLICT = 3;

@CommandHandler(RetriggerReminderCommand)
export class RetriggerReminderHandler implements ICommandHandler<RetriggerReminderCommand> {
  private readonly logger = new Logger('RetriggerReminder');

  constructor(
    private readonly commands: CommandRunner,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ reminderId, dueAt, traceparent }: RetriggerReminderCommand): Promise<ReminderView> {
    const now = this.clock.now();
    const retrigger = { type: 'RetriggerReminder' as const, reminderId, dueAt, now };
    await this.commands.run(REMINDER, reminderId, retrigger, { retryOnConflict: RETRIES_ON_CONFLICT, traceparent });
    this.logger.log({ reminderId, dueAt: dueAt ?? now }, 'reminder retriggered');
    return reminderViewOf(this.events, reminderId);
  }
}
