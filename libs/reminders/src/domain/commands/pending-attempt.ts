import { conflict } from '@herald/kernel';
import { DefinedReminder, ReminderState } from '../reminder-state';
import { assertReminderExists } from './reminder-guards';

/**
 * An outcome may only be recorded for the attempt the reminder is waiting
 * for. A duplicate or late delivery (another replica already recorded it,
 * the reminder was cancelled) is a conflict the worker drops.
 */
export function assertAttemptIsPending(state: ReminderState, reminderId: string, attempt: number): asserts state is DefinedReminder {
  assertReminderExists(state, reminderId);
  if (state.status !== 'Active') throw conflict('ReminderAlreadyFinished', `reminder ${reminderId} is ${state.status}`);
  if (attempt !== state.attempts + 1) {
    throw conflict('StaleCallbackAttempt', `reminder ${reminderId} waits for attempt ${state.attempts + 1}, not ${attempt}`);
  }
}
