import { Decider } from '@herald/kernel';
import { CancelReminder, cancelReminder } from './commands/cancel-reminder/cancel-reminder';
import { DefineReminder, defineReminder } from './commands/define-reminder/define-reminder';
import { RecordCallbackFailure, recordCallbackFailure } from './commands/record-callback-failure/record-callback-failure';
import { RecordCallbackSuccess, recordCallbackSuccess } from './commands/record-callback-success/record-callback-success';
import { RescheduleReminder, rescheduleReminder } from './commands/reschedule-reminder/reschedule-reminder';
import { RetriggerReminder, retriggerReminder } from './commands/retrigger-reminder/retrigger-reminder';
import { ReminderEvent } from './events/reminder-events';
import { ReminderState, evolveReminder, initialReminderState } from './reminder-state';

export type ReminderCommand =
  DefineReminder | CancelReminder | RescheduleReminder | RetriggerReminder | RecordCallbackSuccess | RecordCallbackFailure;

export function decideReminder(command: ReminderCommand, state: ReminderState): ReminderEvent[] {
  switch (command.type) {
    case 'DefineReminder':
      return defineReminder(command, state);
    case 'CancelReminder':
      return cancelReminder(command, state);
    case 'RescheduleReminder':
      return rescheduleReminder(command, state);
    case 'RetriggerReminder':
      return retriggerReminder(command, state);
    case 'RecordCallbackSuccess':
      return recordCallbackSuccess(command, state);
    case 'RecordCallbackFailure':
      return recordCallbackFailure(command, state);
  }
}

export const reminderDecider: Decider<ReminderState, ReminderCommand, ReminderEvent> = {
  initialState: initialReminderState,
  evolve: evolveReminder,
  decide: decideReminder,
};
