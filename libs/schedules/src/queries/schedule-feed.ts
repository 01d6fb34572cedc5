import { FeedSource } from '@herald/runtime';
import { SCHEDULE_STREAM_PREFIX, ScheduleCreatedData, ScheduleTarget } from '../domain';

/**
 * A reminder target's header values may be credentials (as a reminder's
 * are): the log keeps them to send them; the API — a schedule's view, its
 * `/events`, the feed — shows only that they exist.
 */
export function redactTarget(target: ScheduleTarget): ScheduleTarget {
  if (!('reminder' in target) || target.reminder.headers === undefined) return target;
  const headers = Object.fromEntries(Object.keys(target.reminder.headers).map((name) => [name, '[redacted]']));
  return { reminder: { ...target.reminder, headers } };
}

/**
 * Any schedule event's target (ScheduleCreated, OccurrenceFired, …) and a
 * PATCH's new one, by shape rather than by event type, so an event type
 * added later cannot carry header values past it.
 */
export function redactScheduleEvent(_type: string, data: unknown): unknown {
  if (typeof data !== 'object' || data === null) return data;
  const d = data as { target?: ScheduleTarget; changes?: { target?: ScheduleTarget } };
  let redacted: Record<string, unknown> = data as Record<string, unknown>;
  if (d.target !== undefined) redacted = { ...redacted, target: redactTarget(d.target) };
  if (d.changes?.target !== undefined) redacted = { ...redacted, changes: { ...d.changes, target: redactTarget(d.changes.target) } };
  return redacted;
}

/** Schedules on the live feed. */
export const SCHEDULE_FEED_SOURCE: FeedSource = {
  category: 'schedule',
  streamPrefix: SCHEDULE_STREAM_PREFIX,
  ownerIn: (e) => (e.type === 'ScheduleCreated' ? (e.data as ScheduleCreatedData).owner : undefined),
  redact: redactScheduleEvent,
};
