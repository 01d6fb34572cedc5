import { RecordedEvent } from '@herald/event-store';
import { DueChange, ProjectionDefinition, dueEntriesProjection } from '@herald/runtime';
import { DueEntry, TimeIndex } from '@herald/scheduling';
import { SCHEDULE_STREAM_PREFIX, ScheduleEvent, isScheduleEvent } from '../domain';

/** A schedule's next occurrence is due: key = schedule id, sequence = the revision that planned it, dueAt = nextRunAt. */
export const SCHEDULE_OCCURRENCES_TOPIC = 'schedule-occurrences';
export const SCHEDULE_TIMERS_PROJECTION = 'scheduler.schedule-timers';

/** The scheduler's view of the schedule streams: when each active schedule's next occurrence falls due. */
export function scheduleTimersProjection(index: TimeIndex, leadMs: number, nudge?: (entries: readonly DueEntry[]) => void): ProjectionDefinition {
  return dueEntriesProjection({
    name: SCHEDULE_TIMERS_PROJECTION,
    categories: [SCHEDULE_STREAM_PREFIX],
    topics: [SCHEDULE_OCCURRENCES_TOPIC],
    index,
    nudge,
    changeOf: (event: RecordedEvent) => (isScheduleEvent(event) ? scheduleTimerChange(event, event.revision, leadMs) : undefined),
  });
}

/** What one event does to the schedule's timer: plan it `leadMs` before nextRunAt, or drop it (paused, deleted, ended). */
export function scheduleTimerChange(event: ScheduleEvent, revision: number, leadMs: number): DueChange {
  const key = event.data.scheduleId;
  const plan = (nextRunAt: string | null): DueChange =>
    nextRunAt ? { put: { topic: SCHEDULE_OCCURRENCES_TOPIC, key, sequence: revision, dueAt: Date.parse(nextRunAt) - leadMs } } : drop;
  const drop: DueChange = { remove: { topic: SCHEDULE_OCCURRENCES_TOPIC, key } };
  switch (event.type) {
    case 'ScheduleCreated':
    case 'ScheduleUpdated':
    case 'ScheduleResumed':
    case 'NextRunPlanned':
      return plan(event.data.nextRunAt);
    case 'SchedulePaused':
    case 'ScheduleDeleted':
    case 'ScheduleEnded':
      return drop;
    default:
      return undefined;
  }
}
