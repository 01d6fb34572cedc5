import { DomainEvent } from '@herald/kernel';

/** Every reminder event carries the reminder id so a projection needs no stream-name parsing. */
export interface ReminderDefinedData {
  reminderId: string;
  /** ISO-8601 with milliseconds, UTC. */
  dueAt: string;
  address: string;
  payload: unknown;
  headers: Record<string, string>;
  maxAttempts: number;
  timeoutMs: number;
  definedAt: string;
}

export interface CallbackAttemptFailedData {
  reminderId: string;
  attempt: number;
  error: string;
  /** HTTP status when the receiver answered; null for timeouts and network errors. */
  statusCode: number | null;
  failedAt: string;
  /** When the next attempt is due; null when this was the last one. */
  nextAttemptAt: string | null;
}

export interface ReminderCompletedData {
  reminderId: string;
  attempt: number;
  statusCode: number;
  completedAt: string;
}

export interface ReminderFailedData {
  reminderId: string;
  attempts: number;
  lastError: string;
  failedAt: string;
}

export interface ReminderCancelledData {
  reminderId: string;
  cancelledAt: string;
}

export type ReminderDefined = DomainEvent<'ReminderDefined', ReminderDefinedData>;
export type CallbackAttemptFailed = DomainEvent<'CallbackAttemptFailed', CallbackAttemptFailedData>;
export type ReminderCompleted = DomainEvent<'ReminderCompleted', ReminderCompletedData>;
export type ReminderFailed = DomainEvent<'ReminderFailed', ReminderFailedData>;
export type ReminderCancelled = DomainEvent<'ReminderCancelled', ReminderCancelledData>;

export type ReminderEvent = ReminderDefined | CallbackAttemptFailed | ReminderCompleted | ReminderFailed | ReminderCancelled;

export const REMINDER_EVENT_TYPES: readonly ReminderEvent['type'][] = [
  'ReminderDefined',
  'CallbackAttemptFailed',
  'ReminderCompleted',
  'ReminderFailed',
  'ReminderCancelled',
];

export function isReminderEvent(event: { type: string }): event is ReminderEvent {
  return (REMINDER_EVENT_TYPES as readonly string[]).includes(event.type);
}

/** Streams are named `reminder-<id>`: the EventStoreDB category convention (`$ce-reminder`). */
export const REMINDER_STREAM_PREFIX = 'reminder-';
export const reminderStream = (reminderId: string) => `${REMINDER_STREAM_PREFIX}${reminderId}`;

export const reminderDefined = (data: ReminderDefinedData): ReminderDefined => ({ type: 'ReminderDefined', version: 1, data });
export const callbackAttemptFailed = (data: CallbackAttemptFailedData): CallbackAttemptFailed => ({
  type: 'CallbackAttemptFailed',
  version: 1,
  data,
});
export const reminderCompleted = (data: ReminderCompletedData): ReminderCompleted => ({ type: 'ReminderCompleted', version: 1, data });
export const reminderFailed = (data: ReminderFailedData): ReminderFailed => ({ type: 'ReminderFailed', version: 1, data });
export const reminderCancelled = (data: ReminderCancelledData): ReminderCancelled => ({ type: 'ReminderCancelled', version: 1, data });
