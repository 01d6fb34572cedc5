import { conflict, integerRangeProblem, invalid, ownerProblem } from '@herald/kernel';
import { ReminderEvent, reminderDefined } from '../../events/reminder-events';
import { ReminderState } from '../../reminder-state';
import { addressProblem } from '../../values/callback-address';
import { headersProblem } from '../../values/callback-headers';
import { dueAtProblem } from '../../values/due-at';
import { REMINDER_LIMITS } from '../../values/limits';

export interface DefineReminder {
  readonly type: 'DefineReminder';
  readonly reminderId: string;
  readonly dueAt: Date;
  readonly address: string;
  readonly payload: unknown;
  readonly headers: Record<string, string>;
  readonly maxAttempts: number;
  readonly timeoutMs: number;
  /** Whose reminder it is (an API key's owner, a team); null or absent: nobody's in particular. */
  readonly owner?: string | null;
  /** A schedule's occurrence: recorded on the reminder so it can be listed by schedule. */
  readonly scheduleId?: string;
  readonly scheduledFor?: string;
  readonly now: Date;
}

export function defineReminder(command: DefineReminder, state: ReminderState): ReminderEvent[] {
  if (state !== null) throw conflict('ReminderAlreadyDefined', `reminder ${command.reminderId} already exists`);
  const problem =
    dueAtProblem(command.dueAt, command.now) ??
    addressProblem(command.address) ??
    headersProblem(command.headers) ??
    integerRangeProblem('maxAttempts', command.maxAttempts, REMINDER_LIMITS.minAttempts, REMINDER_LIMITS.maxAttempts) ??
    integerRangeProblem('timeoutMs', command.timeoutMs, REMINDER_LIMITS.minTimeoutMs, REMINDER_LIMITS.maxTimeoutMs) ??
    ownerProblem(command.owner ?? null);
  if (problem) throw invalid('InvalidReminder', problem);
  return [
    reminderDefined({
      reminderId: command.reminderId,
      dueAt: command.dueAt.toISOString(),
      address: command.address,
      payload: command.payload ?? null,
      headers: command.headers,
      maxAttempts: command.maxAttempts,
      timeoutMs: command.timeoutMs,
      definedAt: command.now.toISOString(),
      ...(command.owner ? { owner: command.owner } : {}),
      ...(command.scheduleId && command.scheduledFor ? { scheduleId: command.scheduleId, scheduledFor: command.scheduledFor } : {}),
    }),
  ];
}
