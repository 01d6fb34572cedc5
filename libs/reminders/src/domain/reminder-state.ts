import { ReminderEvent } from './events/reminder-events';

export type ReminderStatus = 'Active' | 'Completed' | 'Failed' | 'Cancelled';

export interface DefinedReminder {
  readonly reminderId: string;
  readonly status: ReminderStatus;
  readonly dueAt: string;
  /** When the pending attempt is due: dueAt at first, then each retry's time. */
  readonly nextAttemptAt: string;
  readonly address: string;
  readonly payload: unknown;
  readonly headers: Record<string, string>;
  readonly maxAttempts: number;
  readonly timeoutMs: number;
  /** Attempts made so far (failed ones, plus the successful one if completed). */
  readonly attempts: number;
  readonly owner: string | null;
  /** When it was defined (its creation: an Idempotency-Key's repeat tells a request in flight by it). */
  readonly definedAt: string;
}

/** null until the reminder is defined: a stream that does not exist. */
export type ReminderState = DefinedReminder | null;

export const initialReminderState = (): ReminderState => null;

export function evolveReminder(state: ReminderState, event: ReminderEvent): ReminderState {
  if (event.type === 'ReminderDefined') {
    const d = event.data;
    return {
      reminderId: d.reminderId,
      status: 'Active',
      dueAt: d.dueAt,
      nextAttemptAt: d.dueAt,
      address: d.address,
      payload: d.payload,
      headers: d.headers,
      maxAttempts: d.maxAttempts,
      timeoutMs: d.timeoutMs,
      attempts: 0,
      owner: d.owner ?? null,
      definedAt: d.definedAt,
    };
  }
  if (state === null) return state; // events without a definition are ignored, never invented
  switch (event.type) {
    case 'CallbackAttemptFailed':
      return {
        ...state,
        attempts: event.data.attempt,
        nextAttemptAt: event.data.nextAttemptAt ?? state.nextAttemptAt,
      };
    case 'ReminderCompleted':
      return { ...state, status: 'Completed', attempts: event.data.attempt };
    case 'ReminderFailed':
      return { ...state, status: 'Failed', attempts: event.data.attempts };
    case 'ReminderCancelled':
      return { ...state, status: 'Cancelled' };
    case 'ReminderRescheduled':
      // The pending attempt (the first, or the next retry) moves; the attempts made so far still count.
      return { ...state, dueAt: event.data.dueAt, nextAttemptAt: event.data.dueAt };
    case 'ReminderRetriggered':
      return { ...state, status: 'Active', dueAt: event.data.dueAt, nextAttemptAt: event.data.dueAt, attempts: 0 };
  }
}
