import { AggregateType } from '@herald/runtime';
import { ReminderCommand, ReminderEvent, ReminderState, isReminderEvent, reminderDecider, reminderStream } from './domain';
import { reminderNotFound } from './domain/commands/reminder-guards';

/** What the one command path needs to run reminder commands. */
export const REMINDER: AggregateType<ReminderState, ReminderCommand, ReminderEvent> = {
  decider: reminderDecider,
  streamOf: reminderStream,
  isEvent: isReminderEvent,
  ownership: { ownerOf: (state) => state.owner, notFound: reminderNotFound },
};
