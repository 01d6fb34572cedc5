import { DomainEvent } from '@herald/kernel';

/** Every task event carries the task id so a projection needs no stream-name parsing. Times are ISO-8601 with milliseconds, UTC. */
export interface TaskEnqueuedData {
  taskId: string;
  /** The kind of work; workers lease tasks by type. */
  type: string;
  params: unknown;
  owner: string | null;
  tags: string[];
  /** 0 (lowest) to 9 (highest). */
  priority: number;
  /** When the task is first due: the enqueue time when none was asked for. */
  runAt: string;
  maxAttempts: number;
  heartbeatTimeoutMs: number;
  /** The recurring schedule that enqueued this task, if any, and the occurrence it stands for. */
  scheduleId: string | null;
  scheduledFor: string | null;
  enqueuedAt: string;
}

export interface TaskLeasedData {
  taskId: string;
  token: string;
  workerId: string;
  /** 1-based; a released lease's attempt is given again to the next lease. */
  attempt: number;
  leasedAt: string;
  expiresAt: string;
}

export interface TaskHeartbeatRecordedData {
  taskId: string;
  token: string;
  /** Absent when the heartbeat carried none. */
  progress?: unknown;
  /** Absent when the heartbeat carried none; when present it replaces the stored checkpoint. */
  checkpoint?: unknown;
  /** The lease's new expiry. */
  expiresAt: string;
  recordedAt: string;
}

/** On a task's final events when a schedule enqueued it: lets the schedule learn its run finished without reading the task. */
export interface ScheduleOccurrenceRef {
  scheduleId?: string;
  scheduledFor?: string;
}

export interface TaskCompletedData extends ScheduleOccurrenceRef {
  taskId: string;
  token: string;
  attempt: number;
  result: unknown;
  completedAt: string;
}

export interface TaskAttemptFailedData {
  taskId: string;
  token: string;
  attempt: number;
  /** At most TASK_LIMITS.maxErrorLength characters. */
  error: string;
  /** When the task is due again; null when no retry follows (failed, cancelled). */
  retryAt: string | null;
  failedAt: string;
}

export type TaskFailureReason = 'attempts-exhausted' | 'not-retryable' | 'lease-lapsed';

export interface TaskFailedData extends ScheduleOccurrenceRef {
  taskId: string;
  /** Attempts used, the last one included. */
  attempts: number;
  error: string;
  reason: TaskFailureReason;
  failedAt: string;
}

export interface TaskReleasedData {
  taskId: string;
  token: string;
  /** Absent when the worker gave none; when present it replaces the stored checkpoint. */
  checkpoint?: unknown;
  releasedAt: string;
}

export interface TaskLeaseLapsedData {
  taskId: string;
  token: string;
  attempt: number;
  /**
   * False when the lapse does not use up the attempt (a Pausing task: the worker
   * was asked to stop, so the resumed task gets this attempt again, as after a
   * release). Absent means true: events written before the field fold as they did.
   */
  spent?: boolean;
  lapsedAt: string;
}

export interface TaskPauseRequestedData {
  taskId: string;
  reason: string | null;
  requestedAt: string;
}

export interface TaskPauseWithdrawnData {
  taskId: string;
  reason: string | null;
  withdrawnAt: string;
}

export interface TaskPausedData {
  taskId: string;
  /** The reason given with the pause (or with the pause request the worker acknowledged). */
  reason: string | null;
  /** The checkpoint a resumed task starts from. */
  checkpoint: unknown;
  pausedAt: string;
}

export interface TaskResumedData {
  taskId: string;
  reason: string | null;
  resumedAt: string;
}

export interface TaskCancelRequestedData {
  taskId: string;
  reason: string | null;
  requestedAt: string;
}

export interface TaskCancelledData extends ScheduleOccurrenceRef {
  taskId: string;
  /** The reason given with the cancel (or with the cancel request the worker acknowledged). */
  reason: string | null;
  cancelledAt: string;
}

export interface TaskRetriggeredData {
  taskId: string;
  reason: string | null;
  /** True: the new attempts start from the stored checkpoint; false: from scratch. */
  fromCheckpoint: boolean;
  retriggeredAt: string;
}

export type TaskEnqueued = DomainEvent<'TaskEnqueued', TaskEnqueuedData>;
export type TaskLeased = DomainEvent<'TaskLeased', TaskLeasedData>;
export type TaskHeartbeatRecorded = DomainEvent<'TaskHeartbeatRecorded', TaskHeartbeatRecordedData>;
export type TaskCompleted = DomainEvent<'TaskCompleted', TaskCompletedData>;
export type TaskAttemptFailed = DomainEvent<'TaskAttemptFailed', TaskAttemptFailedData>;
export type TaskFailed = DomainEvent<'TaskFailed', TaskFailedData>;
export type TaskReleased = DomainEvent<'TaskReleased', TaskReleasedData>;
export type TaskLeaseLapsed = DomainEvent<'TaskLeaseLapsed', TaskLeaseLapsedData>;
export type TaskPauseRequested = DomainEvent<'TaskPauseRequested', TaskPauseRequestedData>;
export type TaskPauseWithdrawn = DomainEvent<'TaskPauseWithdrawn', TaskPauseWithdrawnData>;
export type TaskPaused = DomainEvent<'TaskPaused', TaskPausedData>;
export type TaskResumed = DomainEvent<'TaskResumed', TaskResumedData>;
export type TaskCancelRequested = DomainEvent<'TaskCancelRequested', TaskCancelRequestedData>;
export type TaskCancelled = DomainEvent<'TaskCancelled', TaskCancelledData>;
export type TaskRetriggered = DomainEvent<'TaskRetriggered', TaskRetriggeredData>;

export type TaskEvent =
  | TaskEnqueued
  | TaskLeased
  | TaskHeartbeatRecorded
  | TaskCompleted
  | TaskAttemptFailed
  | TaskFailed
  | TaskReleased
  | TaskLeaseLapsed
  | TaskPauseRequested
  | TaskPauseWithdrawn
  | TaskPaused
  | TaskResumed
  | TaskCancelRequested
  | TaskCancelled
  | TaskRetriggered;

export const TASK_EVENT_TYPES: readonly TaskEvent['type'][] = [
  'TaskEnqueued',
  'TaskLeased',
  'TaskHeartbeatRecorded',
  'TaskCompleted',
  'TaskAttemptFailed',
  'TaskFailed',
  'TaskReleased',
  'TaskLeaseLapsed',
  'TaskPauseRequested',
  'TaskPauseWithdrawn',
  'TaskPaused',
  'TaskResumed',
  'TaskCancelRequested',
  'TaskCancelled',
  'TaskRetriggered',
];

export function isTaskEvent(event: { type: string }): event is TaskEvent {
  return (TASK_EVENT_TYPES as readonly string[]).includes(event.type);
}

/** Streams are named `task-<id>`: the EventStoreDB category convention (`$ce-task`). */
export const TASK_STREAM_PREFIX = 'task-';
export const taskStream = (taskId: string) => `${TASK_STREAM_PREFIX}${taskId}`;

export const taskEnqueued = (data: TaskEnqueuedData): TaskEnqueued => ({ type: 'TaskEnqueued', version: 1, data });
export const taskLeased = (data: TaskLeasedData): TaskLeased => ({ type: 'TaskLeased', version: 1, data });
export const taskHeartbeatRecorded = (data: TaskHeartbeatRecordedData): TaskHeartbeatRecorded => ({
  type: 'TaskHeartbeatRecorded',
  version: 1,
  data,
});
export const taskCompleted = (data: TaskCompletedData): TaskCompleted => ({ type: 'TaskCompleted', version: 1, data });
export const taskAttemptFailed = (data: TaskAttemptFailedData): TaskAttemptFailed => ({ type: 'TaskAttemptFailed', version: 1, data });
export const taskFailed = (data: TaskFailedData): TaskFailed => ({ type: 'TaskFailed', version: 1, data });
export const taskReleased = (data: TaskReleasedData): TaskReleased => ({ type: 'TaskReleased', version: 1, data });
export const taskLeaseLapsed = (data: TaskLeaseLapsedData): TaskLeaseLapsed => ({ type: 'TaskLeaseLapsed', version: 1, data });
export const taskPauseRequested = (data: TaskPauseRequestedData): TaskPauseRequested => ({ type: 'TaskPauseRequested', version: 1, data });
export const taskPauseWithdrawn = (data: TaskPauseWithdrawnData): TaskPauseWithdrawn => ({ type: 'TaskPauseWithdrawn', version: 1, data });
export const taskPaused = (data: TaskPausedData): TaskPaused => ({ type: 'TaskPaused', version: 1, data });
export const taskResumed = (data: TaskResumedData): TaskResumed => ({ type: 'TaskResumed', version: 1, data });
export const taskCancelRequested = (data: TaskCancelRequestedData): TaskCancelRequested => ({
  type: 'TaskCancelRequested',
  version: 1,
  data,
});
export const taskCancelled = (data: TaskCancelledData): TaskCancelled => ({ type: 'TaskCancelled', version: 1, data });
export const taskRetriggered = (data: TaskRetriggeredData): TaskRetriggered => ({ type: 'TaskRetriggered', version: 1, data });
