import { RecordedEvent } from '@herald/event-store';
import { DueChange, ProjectionDefinition, dueEntriesProjection } from '@herald/runtime';
import { DueEntry, TimeIndex } from '@herald/scheduling';
import { REMINDER_STREAM_PREFIX, ReminderEvent, isReminderEvent } from '../domain';

/**
 * The topic of reminder callbacks: key = reminder id, dueAt = when the pending attempt is due,
 * sequence = the stream revision of the event that planned it, plus one.
 */
export const CALLBACKS_TOPIC = 'callbacks';

/** Kept from before projections were definitions: its checkpoint must not change name (that would replay the log). */
export const REMINDER_CALLBACKS_PROJECTION = 'scheduler.reminder-timers';

/** The scheduler's view of the reminder streams: when the pending attempt of each reminder is due. */
export function reminderCallbacksProjection(index: TimeIndex, nudge?: (entries: readonly DueEntry[]) => void): ProjectionDefinition {
  return dueEntriesProjection({
    name: REMINDER_CALLBACKS_PROJECTION,
    categories: [REMINDER_STREAM_PREFIX],
    topics: [CALLBACKS_TOPIC],
    index,
    nudge,
    // Callbacks are planned when a reminder is defined, rescheduled or retried, nearly always seconds or more
    // ahead; most of this projection's work under load is dropping the entries of finished reminders, one
    // transaction per callback without a window. A reminder due at once (a retrigger now, a past dueAt) fires
    // up to SCHEDULER_BATCH_WINDOW_MS later. Task starts (pickup latency) do not gather.
    gathers: true,
    changeOf: (event: RecordedEvent) => (isReminderEvent(event) ? callbackChange(event, event.revision) : undefined),
  });
}

/**
 * The entry an event (at `revision` of its stream) plans, a removal when it ends the reminder,
 * undefined when it changes nothing here.
 *
 * The sequence is `revision + 1`, so every plan outranks the ones before it: a reschedule replaces
 * the entry (and its hand-off mark) even when the attempt stays the same, and a retrigger's
 * attempt 1 is a new occurrence, not the first run's. Without reschedules and retriggers it equals
 * the attempt number (attempt n is planned at revision n − 1), which is what earlier versions put,
 * so their entries keep their rank. The worker does not read the attempt from the entry: it takes
 * the pending one from the stream, and drops an entry that is not the one `pendingCallback` names.
 */
export function callbackChange(event: ReminderEvent, revision: number): DueChange {
  const due = (reminderId: string, at: string) => ({
    put: { topic: CALLBACKS_TOPIC, key: reminderId, sequence: revision + 1, dueAt: Date.parse(at) },
  });
  switch (event.type) {
    case 'ReminderDefined':
    case 'ReminderRescheduled':
    case 'ReminderRetriggered':
      return due(event.data.reminderId, event.data.dueAt);
    case 'CallbackAttemptFailed':
      // The last failure carries no next time; the ReminderFailed beside it ends the reminder.
      return event.data.nextAttemptAt ? due(event.data.reminderId, event.data.nextAttemptAt) : undefined;
    case 'ReminderCompleted':
    case 'ReminderFailed':
    case 'ReminderCancelled':
      return { remove: { topic: CALLBACKS_TOPIC, key: event.data.reminderId } };
  }
}

/**
 * The entry the time index holds for a reminder after these events of its stream (the fold of
 * callbackChange), or null when none: what the callback worker compares a delivered entry with.
 */
export function pendingCallback(events: readonly RecordedEvent[]): DueEntry | null {
  let pending: DueEntry | null = null;
  for (const event of events) {
    if (!isReminderEvent(event)) continue;
    const change = callbackChange(event, event.revision);
    if (change) pending = 'put' in change ? change.put : null;
  }
  return pending;
}
