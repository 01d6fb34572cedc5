import { ReminderEvent, callbackAttemptFailed, reminderFailed } from '../../events/reminder-events';
import { ReminderState } from '../../reminder-state';
import { RetryPolicy, retryDelayMs } from '@herald/kernel';
import { assertAttemptIsPending } from '../pending-attempt';

export interface RecordCallbackFailure {
  readonly type: 'RecordCallbackFailure';
  readonly reminderId: string;
  readonly attempt: number;
  readonly error: string;
  readonly statusCode: number | null;
  /** From the receiver's Retry-After header, in milliseconds. */
  readonly retryAfterMs: number | null;
  readonly retryPolicy: RetryPolicy;
  /** Random in [0, 1), drawn by the caller: keeps this decision deterministic. */
  readonly jitter: number;
  readonly now: Date;
}

export function recordCallbackFailure(command: RecordCallbackFailure, state: ReminderState): ReminderEvent[] {
  assertAttemptIsPending(state, command.reminderId, command.attempt);
  const { reminderId, attempt, error, statusCode, now } = command;
  const isLast = attempt >= state.maxAttempts;
  const nextAttemptAt = isLast
    ? null
    : new Date(now.getTime() + retryDelayMs(command.retryPolicy, attempt, command.jitter, command.retryAfterMs)).toISOString();
  const failed = callbackAttemptFailed({ reminderId, attempt, error, statusCode, failedAt: now.toISOString(), nextAttemptAt });
  if (!isLast) return [failed];
  return [failed, reminderFailed({ reminderId, attempts: attempt, lastError: error, failedAt: now.toISOString() })];
}
