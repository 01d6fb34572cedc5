import { TaskEvent } from './events/task-events';

/**
 * Pausing and Cancelling are requests made while a worker holds the lease:
 * they last until the worker acknowledges (fails, releases) or the lease lapses.
 */
export type TaskStatus = 'Queued' | 'Running' | 'Pausing' | 'Paused' | 'Cancelling' | 'Cancelled' | 'Completed' | 'Failed';

export const TASK_STATUSES: readonly TaskStatus[] = ['Queued', 'Running', 'Pausing', 'Paused', 'Cancelling', 'Cancelled', 'Completed', 'Failed'];

/** The statuses in which a worker holds a lease; in no other status is `lease` set. */
export type LeasedStatus = 'Running' | 'Pausing' | 'Cancelling';
export const LEASED_STATUSES: readonly LeasedStatus[] = ['Running', 'Pausing', 'Cancelling'];
export const isLeasedStatus = (status: TaskStatus): status is LeasedStatus => (LEASED_STATUSES as readonly string[]).includes(status);

export interface TaskLease {
  readonly token: string;
  readonly workerId: string;
  /** As last recorded: a heartbeat coalesced away does not move it. */
  readonly expiresAt: string;
}

export interface DefinedTask {
  readonly taskId: string;
  readonly type: string;
  readonly params: unknown;
  readonly owner: string | null;
  readonly tags: readonly string[];
  readonly priority: number;
  readonly status: TaskStatus;
  /** When the task may next be leased (meaningful while Queued). */
  readonly runAt: string;
  readonly maxAttempts: number;
  readonly heartbeatTimeoutMs: number;
  /** The attempt number of the current or last lease; 0 before any. */
  readonly attempt: number;
  /** Attempts spent (failed, lapsed or completed); a released lease spends none, nor does a lease that lapsed while Pausing. The next lease is attempt `attemptsUsed + 1`. */
  readonly attemptsUsed: number;
  readonly progress: unknown;
  /** When progress was last recorded: heartbeats coalesce progress within PROGRESS_COALESCE_MS of it. */
  readonly lastProgressAt: string | null;
  readonly checkpoint: unknown;
  readonly result: unknown;
  readonly error: string | null;
  readonly lease: TaskLease | null;
  /** The reason given with the pending pause or cancel request (status Pausing or Cancelling). */
  readonly requestReason: string | null;
  /** The last lease that lapsed, so a worker that comes back late is told why it lost the task. */
  readonly lapsedLease: { readonly token: string; readonly lapsedAt: string } | null;
  readonly scheduleId: string | null;
  readonly scheduledFor: string | null;
}

export type LeasedTask = DefinedTask & { readonly status: LeasedStatus; readonly lease: TaskLease };

/** null until the task is enqueued: a stream that does not exist. */
export type TaskState = DefinedTask | null;

export const initialTaskState = (): TaskState => null;

/** The task leaves Running/Pausing/Cancelling: the lease and any pending request end with it. */
const unleased = (state: DefinedTask, status: TaskStatus): DefinedTask => ({ ...state, status, lease: null, requestReason: null });

export function evolveTask(state: TaskState, event: TaskEvent): TaskState {
  if (event.type === 'TaskEnqueued') {
    const d = event.data;
    return {
      taskId: d.taskId,
      type: d.type,
      params: d.params,
      owner: d.owner,
      tags: d.tags,
      priority: d.priority,
      status: 'Queued',
      runAt: d.runAt,
      maxAttempts: d.maxAttempts,
      heartbeatTimeoutMs: d.heartbeatTimeoutMs,
      attempt: 0,
      attemptsUsed: 0,
      progress: null,
      lastProgressAt: null,
      checkpoint: null,
      result: null,
      error: null,
      lease: null,
      requestReason: null,
      lapsedLease: null,
      scheduleId: d.scheduleId,
      scheduledFor: d.scheduledFor,
    };
  }
  if (state === null) return state; // events without an enqueue are ignored, never invented
  switch (event.type) {
    case 'TaskLeased': {
      const d = event.data;
      return {
        ...state,
        status: 'Running',
        attempt: d.attempt,
        lease: { token: d.token, workerId: d.workerId, expiresAt: d.expiresAt },
        requestReason: null,
      };
    }
    case 'TaskHeartbeatRecorded': {
      const d = event.data;
      return {
        ...state,
        lease: state.lease === null ? null : { ...state.lease, expiresAt: d.expiresAt },
        ...(d.progress !== undefined ? { progress: d.progress, lastProgressAt: d.recordedAt } : {}),
        ...(d.checkpoint !== undefined ? { checkpoint: d.checkpoint } : {}),
      };
    }
    case 'TaskCompleted':
      return { ...unleased(state, 'Completed'), attemptsUsed: event.data.attempt, result: event.data.result };
    case 'TaskAttemptFailed': {
      // Queued until retryAt; when no retry follows, the TaskFailed/TaskCancelled/TaskPaused appended with it settles the status.
      const d = event.data;
      return { ...unleased(state, 'Queued'), attemptsUsed: d.attempt, error: d.error, runAt: d.retryAt ?? state.runAt };
    }
    case 'TaskFailed':
      return { ...unleased(state, 'Failed'), attemptsUsed: event.data.attempts, error: event.data.error };
    case 'TaskReleased': {
      const d = event.data;
      return { ...unleased(state, 'Queued'), runAt: d.releasedAt, ...(d.checkpoint !== undefined ? { checkpoint: d.checkpoint } : {}) };
    }
    case 'TaskLeaseLapsed': {
      const d = event.data;
      return {
        ...unleased(state, 'Queued'),
        attemptsUsed: d.spent === false ? state.attemptsUsed : d.attempt,
        runAt: d.lapsedAt,
        lapsedLease: { token: d.token, lapsedAt: d.lapsedAt },
      };
    }
    case 'TaskPauseRequested':
      return { ...state, status: 'Pausing', requestReason: event.data.reason };
    case 'TaskPauseWithdrawn':
      return { ...state, status: 'Running', requestReason: null };
    case 'TaskPaused':
      return { ...unleased(state, 'Paused'), checkpoint: event.data.checkpoint };
    case 'TaskResumed':
      return { ...unleased(state, 'Queued'), runAt: event.data.resumedAt };
    case 'TaskCancelRequested':
      return { ...state, status: 'Cancelling', requestReason: event.data.reason };
    case 'TaskCancelled':
      return unleased(state, 'Cancelled');
    case 'TaskRetriggered': {
      const d = event.data;
      return {
        ...unleased(state, 'Queued'),
        runAt: d.retriggeredAt,
        attempt: 0,
        attemptsUsed: 0,
        checkpoint: d.fromCheckpoint ? state.checkpoint : null,
        progress: d.fromCheckpoint ? state.progress : null,
        lastProgressAt: null,
        result: null,
        error: null,
      };
    }
  }
}
