import { ReminderEvent, reminderRescheduled } from '../../events/reminder-events';
import { ReminderState } from '../../reminder-state';
import { alreadyFinished, assertDueAtAllowed, assertReminderExists } from '../reminder-guards';

export interface RescheduleReminder {
  readonly type: 'RescheduleReminder';
  readonly reminderId: string;
  /** The new due time, earlier or later: under the same rules as a defined reminder's dueAt. */
  readonly dueAt: Date;
  readonly now: Date;
}

/**
 * An Active reminder's pending attempt (the first, or the next retry) moves
 * to `dueAt`; the time it replaces never fires. Attempts already made still
 * count. Asking for the time it is already due at records nothing.
 */
export function rescheduleReminder(command: RescheduleReminder, state: ReminderState): ReminderEvent[] {
  const { reminderId, now } = command;
  assertReminderExists(state, reminderId);
  assertDueAtAllowed(command.dueAt, now);
  if (state.status !== 'Active') throw alreadyFinished(state, 'rescheduled');
  const dueAt = command.dueAt.toISOString();
  if (dueAt === state.dueAt && dueAt === state.nextAttemptAt) return [];
  return [reminderRescheduled({ reminderId, dueAt, previousDueAt: state.nextAttemptAt, rescheduledAt: now.toISOString() })];
}
