import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, Clock } from '@herald/kernel';
import { EVENT_STORE, EventStore } from '@herald/event-store';
import { CommandRunner } from '@herald/runtime';
import { ReminderView } from '../../queries/reminder-view';
import { reminderViewOf } from '../../queries/reminder-from-stream';
import { REMINDER } from '../../reminder-aggregate';
import { dueAtFrom } from '../due-time/due-time.dto';
import { RescheduleReminderCommand } from './reschedule-reminder.command';

/** Decided again if a callback outcome lands meanwhile: a failed attempt leaves it reschedulable, a completion makes it a 409. */
const RETRIES_ON_CONFLICT = 3;

@CommandHandler(RescheduleReminderCommand)
export class RescheduleReminderHandler implements ICommandHandler<RescheduleReminderCommand> {
  private readonly logger = new Logger('RescheduleReminder');

  constructor(
    private readonly commands: CommandRunner,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ reminderId, due, traceparent }: RescheduleReminderCommand): Promise<ReminderView> {
    const now = this.clock.now();
    const dueAt = dueAtFrom(due, now);
    const reschedule = { type: 'RescheduleReminder' as const, reminderId, dueAt, now };
    const { events } = await this.commands.run(REMINDER, reminderId, reschedule, { retryOnConflict: RETRIES_ON_CONFLICT, traceparent });
    this.logger.log({ reminderId, dueAt, recorded: events.length > 0 }, 'reminder rescheduled');
    return reminderViewOf(this.events, reminderId);
  }
}
