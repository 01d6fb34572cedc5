import { ReminderEvent, reminderCancelled } from '../../events/reminder-events';
import { ReminderState } from '../../reminder-state';
import { alreadyFinished, assertReminderExists } from '../reminder-guards';

export interface CancelReminder {
  readonly type: 'CancelReminder';
  readonly reminderId: string;
  readonly now: Date;
}

export function cancelReminder(command: CancelReminder, state: ReminderState): ReminderEvent[] {
  assertReminderExists(state, command.reminderId);
  if (state.status !== 'Active') throw alreadyFinished(state, 'cancelled');
  return [reminderCancelled({ reminderId: command.reminderId, cancelledAt: command.now.toISOString() })];
}
