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
  /** Present when the reminder has an owner (added in the owners release; absent on older events: none). */
  owner?: string;
  /** Present when a schedule's occurrence defined it: which schedule, and the occurrence it stands for. */
  scheduleId?: string;
  scheduledFor?: string;
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

/** An Active reminder's pending attempt moves to a new time; the time it replaces never fires. */
export interface ReminderRescheduledData {
  reminderId: string;
  /** The new due time: ISO-8601 with milliseconds, UTC. The callback's body carries it from now on. */
  dueAt: string;
  /** When the pending attempt was due until now (the first attempt's dueAt, or a retry's time). */
  previousDueAt: string;
  rescheduledAt: string;
}

/** A Failed or Cancelled reminder is Active again, due at `dueAt`, with its attempts starting over. */
export interface ReminderRetriggeredData {
  reminderId: string;
  /** When it fires: the retrigger's own time unless a dueAt was given. ISO-8601 with milliseconds, UTC. */
  dueAt: string;
  retriggeredAt: string;
}

export type ReminderDefined = DomainEvent<'ReminderDefined', ReminderDefinedData>;
export type CallbackAttemptFailed = DomainEvent<'CallbackAttemptFailed', CallbackAttemptFailedData>;
export type ReminderCompleted = DomainEvent<'ReminderCompleted', ReminderCompletedData>;
export type ReminderFailed = DomainEvent<'ReminderFailed', ReminderFailedData>;
export type ReminderCancelled = DomainEvent<'ReminderCancelled', ReminderCancelledData>;

export type ReminderRescheduled = DomainEvent<'ReminderRescheduled', ReminderRescheduledData>;
export type ReminderRetriggered = DomainEvent<'ReminderRetriggered', ReminderRetriggeredData>;

export type ReminderEvent =
  ReminderDefined | CallbackAttemptFailed | ReminderCompleted | ReminderFailed | ReminderCancelled | ReminderRescheduled | ReminderRetriggered;

export const REMINDER_EVENT_TYPES: readonly ReminderEvent['type'][] = [
  'ReminderDefined',
  'CallbackAttemptFailed',
  'ReminderCompleted',
  'ReminderFailed',
  'ReminderCancelled',
  'ReminderRescheduled',
  'ReminderRetriggered',
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
export const reminderRescheduled = (data: ReminderRescheduledData): ReminderRescheduled => ({
  type: 'ReminderRescheduled',
  version: 1,
  data,
});
export const reminderRetriggered = (data: ReminderRetriggeredData): ReminderRetriggered => ({
  type: 'ReminderRetriggered',
  version: 1,
  data,
});
