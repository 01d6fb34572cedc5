import { RecordedEvent } from '@herald/event-store';
import { DueChange, ProjectionDefinition, dueEntriesProjection } from '@herald/runtime';
import { DueEntry, TimeIndex } from '@herald/scheduling';
import { REMINDER_STREAM_PREFIX, ReminderEvent, isReminderEvent } from '../domain';

/** The topic of reminder callbacks: key = reminder id, sequence = attempt. */
export const CALLBACKS_TOPIC = 'callbacks';

/** Kept from before projections were definitions: its checkpoint must not change name (that would replay the log). */
export const REMINDER_CALLBACKS_PROJECTION = 'scheduler.reminder-timers';

/** The scheduler's view of the reminder streams: which attempt of which reminder is due when. */
export function reminderCallbacksProjection(index: TimeIndex, nudge?: (entries: readonly DueEntry[]) => void): ProjectionDefinition {
  return dueEntriesProjection({
    name: REMINDER_CALLBACKS_PROJECTION,
    categories: [REMINDER_STREAM_PREFIX],
    index,
    nudge,
    changeOf: (event: RecordedEvent) => (isReminderEvent(event) ? callbackChange(event) : undefined),
  });
}

/** The attempt an event makes pending, a removal when it ends the reminder, undefined when it changes nothing here. */
export function callbackChange(event: ReminderEvent): DueChange {
  const due = (reminderId: string, attempt: number, at: string) => ({
    put: { topic: CALLBACKS_TOPIC, key: reminderId, sequence: attempt, dueAt: Date.parse(at) },
  });
  switch (event.type) {
    case 'ReminderDefined':
      return due(event.data.reminderId, 1, event.data.dueAt);
    case 'CallbackAttemptFailed':
      // The last failure carries no next time; the ReminderFailed beside it ends the reminder.
      return event.data.nextAttemptAt ? due(event.data.reminderId, event.data.attempt + 1, event.data.nextAttemptAt) : undefined;
    case 'ReminderCompleted':
    case 'ReminderFailed':
    case 'ReminderCancelled':
      return { remove: { topic: CALLBACKS_TOPIC, key: event.data.reminderId } };
  }
}
