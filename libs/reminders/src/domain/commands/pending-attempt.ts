import { conflict, notFound } from '@herald/kernel';
import { DefinedReminder, ReminderState } from '../reminder-state';

/**
 * An outcome may only be recorded for the attempt the reminder is waiting
 * for. A duplicate or late delivery (another replica already recorded it,
 * the reminder was cancelled) is a conflict the worker drops.
 */
export function assertAttemptIsPending(state: ReminderState, reminderId: string, attempt: number): asserts state is DefinedReminder {
  if (state === null) throw notFound('ReminderNotFound', `reminder ${reminderId} does not exist`);
  if (state.status !== 'Active') throw conflict('ReminderAlreadyFinished', `reminder ${reminderId} is ${state.status}`);
  if (attempt !== state.attempts + 1) {
    throw conflict('StaleCallbackAttempt', `reminder ${reminderId} waits for attempt ${state.attempts + 1}, not ${attempt}`);
  }
}

/** True when `attempt` is the one the reminder waits for; the worker's cheap pre-check. */
export function isPendingAttempt(state: ReminderState, attempt: number): state is DefinedReminder {
  return state !== null && state.status === 'Active' && attempt === state.attempts + 1;
}
