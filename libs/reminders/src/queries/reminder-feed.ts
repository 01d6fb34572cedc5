import { FeedSource } from '@herald/runtime';
import { REMINDER_STREAM_PREFIX, ReminderDefinedData } from '../domain';

/** Header values may be credentials: the log keeps them to send them, the API (`/events`, the feed) shows only that they exist. */
export function redactReminderEvent(type: string, data: unknown): unknown {
  if (type !== 'ReminderDefined') return data;
  const defined = data as { headers?: Record<string, string> };
  const headers = Object.fromEntries(Object.keys(defined.headers ?? {}).map((name) => [name, '[redacted]']));
  return { ...defined, headers };
}

/** Reminders on the live feed. */
export const REMINDER_FEED_SOURCE: FeedSource = {
  category: 'reminder',
  streamPrefix: REMINDER_STREAM_PREFIX,
  ownerIn: (e) => (e.type === 'ReminderDefined' ? ((e.data as ReminderDefinedData).owner ?? null) : undefined),
  redact: redactReminderEvent,
};
