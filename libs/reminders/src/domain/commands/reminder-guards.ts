import { conflict, invalid, notFound } from '@herald/kernel';
import { DefinedReminder, ReminderState } from '../reminder-state';
import { dueAtProblem } from '../values/due-at';

export function assertReminderExists(state: ReminderState, reminderId: string): asserts state is DefinedReminder {
  if (state === null) throw reminderNotFound(reminderId);
}

/** A new due time obeys the rules of a defined reminder's: within 10 years, at most 24 hours in the past. */
export function assertDueAtAllowed(dueAt: Date, now: Date): void {
  const problem = dueAtProblem(dueAt, now);
  if (problem) throw invalid('InvalidReminder', problem);
}

/** The conflict for a command only an Active reminder accepts (cancel, reschedule): it completed, failed or was cancelled. */
export const alreadyFinished = (state: DefinedReminder, action: string) =>
  conflict('ReminderAlreadyFinished', `reminder ${state.reminderId} is ${state.status} and can no longer be ${action}`);

/** The one answer for a reminder that does not exist, or is not the caller's to see. */
export const reminderNotFound = (reminderId: string) => notFound('ReminderNotFound', `reminder ${reminderId} does not exist`);
