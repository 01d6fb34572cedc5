import { RecordedEvent } from '@herald/event-store';
import { DueChange, ProjectionDefinition, dueEntriesProjection } from '@herald/runtime';
import { DueEntry, TimeIndex } from '@herald/scheduling';
import { TASK_STREAM_PREFIX, TaskEvent, isTaskEvent } from '../domain';

/** A task's start is due: key = task id, sequence = the revision that made it Queued, dueAt = runAt. */
export const TASK_STARTS_TOPIC = 'task-starts';
/** A task's lease expires: key = task id, sequence = the revision that set the expiry, dueAt = expiresAt. */
export const TASK_LEASES_TOPIC = 'task-leases';

export const TASK_TIMERS_PROJECTION = 'scheduler.task-timers';

/** The scheduler's view of the task streams: when each Queued task may start, and when each lease lapses. */
export function taskTimersProjection(index: TimeIndex, nudge?: (entries: readonly DueEntry[]) => void): ProjectionDefinition {
  return dueEntriesProjection({
    name: TASK_TIMERS_PROJECTION,
    categories: [TASK_STREAM_PREFIX],
    topics: [TASK_STARTS_TOPIC, TASK_LEASES_TOPIC],
    index,
    nudge,
    changeOf: (event: RecordedEvent) => (isTaskEvent(event) ? taskTimerChanges(event, event.revision) : undefined),
  });
}

/**
 * What one event does to the task's two timers. Events appended together
 * (a release and the pause it acknowledges) fold in order, so the last word
 * is the later event's.
 */
export function taskTimerChanges(event: TaskEvent, revision: number): DueChange[] {
  const key = event.data.taskId;
  const start = (at: string): DueChange => ({ put: { topic: TASK_STARTS_TOPIC, key, sequence: revision, dueAt: Date.parse(at) } });
  const lease = (at: string): DueChange => ({ put: { topic: TASK_LEASES_TOPIC, key, sequence: revision, dueAt: Date.parse(at) } });
  const noStart: DueChange = { remove: { topic: TASK_STARTS_TOPIC, key } };
  const noLease: DueChange = { remove: { topic: TASK_LEASES_TOPIC, key } };
  switch (event.type) {
    case 'TaskEnqueued':
      return [start(event.data.runAt)];
    case 'TaskLeased':
      return [noStart, lease(event.data.expiresAt)];
    case 'TaskHeartbeatRecorded':
      return [lease(event.data.expiresAt)];
    case 'TaskAttemptFailed':
      return event.data.retryAt ? [noLease, start(event.data.retryAt)] : [noLease];
    case 'TaskReleased':
      return [noLease, start(event.data.releasedAt)];
    case 'TaskLeaseLapsed':
      return [noLease, start(event.data.lapsedAt)];
    case 'TaskResumed':
      return [start(event.data.resumedAt)];
    case 'TaskRetriggered':
      return [start(event.data.retriggeredAt)];
    case 'TaskPaused':
    case 'TaskCancelled':
    case 'TaskCompleted':
    case 'TaskFailed':
      return [noStart, noLease];
    case 'TaskPauseRequested':
    case 'TaskPauseWithdrawn':
    case 'TaskCancelRequested':
      return [];
  }
}
