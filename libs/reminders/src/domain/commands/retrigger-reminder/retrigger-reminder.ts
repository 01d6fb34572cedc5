import { conflict } from '@herald/kernel';
import { ReminderEvent, reminderRetriggered } from '../../events/reminder-events';
import { ReminderState } from '../../reminder-state';
import { assertDueAtAllowed, assertReminderExists } from '../reminder-guards';

export interface RetriggerReminder {
  readonly type: 'RetriggerReminder';
  readonly reminderId: string;
  /** When it fires again; absent: at once (`now`). Under the same rules as a defined reminder's dueAt. */
  readonly dueAt?: Date;
  readonly now: Date;
}

/** A Failed or Cancelled reminder becomes Active again, due at `dueAt` (or now), with a fresh budget of attempts. */
export function retriggerReminder(command: RetriggerReminder, state: ReminderState): ReminderEvent[] {
  const { reminderId, now } = command;
  assertReminderExists(state, reminderId);
  const dueAt = command.dueAt ?? now;
  assertDueAtAllowed(dueAt, now);
  if (state.status !== 'Failed' && state.status !== 'Cancelled') {
    throw conflict(
      'ReminderStateConflict',
      `reminder ${reminderId} is ${state.status} and cannot be retriggered (only a Failed or Cancelled one can)`,
    );
  }
  return [reminderRetriggered({ reminderId, dueAt: dueAt.toISOString(), retriggeredAt: now.toISOString() })];
}
