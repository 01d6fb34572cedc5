import { ReminderEvent, reminderCompleted } from '../../events/reminder-events';
import { ReminderState } from '../../reminder-state';
import { assertAttemptIsPending } from '../pending-attempt';

export interface RecordCallbackSuccess {
  readonly type: 'RecordCallbackSuccess';
  readonly reminderId: string;
  readonly attempt: number;
  readonly statusCode: number;
  readonly now: Date;
}

export function recordCallbackSuccess(command: RecordCallbackSuccess, state: ReminderState): ReminderEvent[] {
  assertAttemptIsPending(state, command.reminderId, command.attempt);
  return [
    reminderCompleted({
      reminderId: command.reminderId,
      attempt: command.attempt,
      statusCode: command.statusCode,
      completedAt: command.now.toISOString(),
    }),
  ];
}
