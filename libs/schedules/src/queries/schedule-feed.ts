import { FeedSource } from '@herald/runtime';
import { ViewStore } from '@herald/view-store';
import { SCHEDULE_STREAM_PREFIX, ScheduleCreatedData, ScheduleTarget, ScheduleUpdatedData } from '../domain';
import { ScheduleView } from './schedule-view';

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

export function redactScheduleEvent(type: string, data: unknown): unknown {
  if (type === 'ScheduleCreated') {
    const created = data as ScheduleCreatedData;
    return { ...created, target: redactTarget(created.target) };
  }
  if (type === 'ScheduleUpdated') {
    const updated = data as ScheduleUpdatedData;
    if (updated.changes.target === undefined) return data;
    return { ...updated, changes: { ...updated.changes, target: redactTarget(updated.changes.target) } };
  }
  return data;
}

/** Schedules on the live feed. */
export function scheduleFeedSource(views: ViewStore<ScheduleView>): FeedSource {
  return {
    category: 'schedule',
    streamPrefix: SCHEDULE_STREAM_PREFIX,
    ownerIn: (e) => (e.type === 'ScheduleCreated' ? (e.data as ScheduleCreatedData).owner : undefined),
    lookupOwner: async (id) => (await views.get(id))?.owner ?? null,
    redact: redactScheduleEvent,
  };
}
