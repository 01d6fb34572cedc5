import { conflict, notFound } from '@herald/kernel';
import { ReminderEvent, reminderCancelled } from '../../events/reminder-events';
import { ReminderState } from '../../reminder-state';

export interface CancelReminder {
  readonly type: 'CancelReminder';
  readonly reminderId: string;
  readonly now: Date;
}

export function cancelReminder(command: CancelReminder, state: ReminderState): ReminderEvent[] {
  if (state === null) throw notFound('ReminderNotFound', `reminder ${command.reminderId} does not exist`);
  if (state.status !== 'Active') {
    throw conflict('ReminderAlreadyFinished', `reminder ${command.reminderId} is ${state.status} and can no longer be cancelled`);
  }
  return [reminderCancelled({ reminderId: command.reminderId, cancelledAt: command.now.toISOString() })];
}
