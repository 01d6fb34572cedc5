import { TaskEvent, taskHeartbeatRecorded } from '../../events/task-events';
import { DefinedTask, TaskState } from '../../task-state';
import { PROGRESS_COALESCE_MS } from '../../values/limits';
import { sameJson } from '../../values/same-json';
import { assertLeaseHeld } from '../task-guards';

export interface RecordHeartbeat {
  readonly type: 'RecordHeartbeat';
  readonly taskId: string;
  readonly token: string;
  /** Absent (undefined) when the worker reports none. */
  readonly progress?: unknown;
  /** Absent (undefined) when the worker reports none; null is a value (clears the checkpoint). */
  readonly checkpoint?: unknown;
  /**
   * False for progress the API records on the worker's behalf once its
   * coalescing window ends (PendingProgress): only the worker's own
   * heartbeats say it is alive, so only they extend the lease. Default true.
   */
  readonly extendsLease?: boolean;
  readonly now: Date;
}

/**
 * Most heartbeats change nothing worth keeping, so to keep the log small one
 * is recorded only when it carries a checkpoint (always durable), or news of
 * progress (changed, and the last recorded progress is at least
 * PROGRESS_COALESCE_MS old), or when the recorded lease expiry is no more than
 * half the heartbeat timeout away (the lease must be extended). One that does
 * not extend the lease (`extendsLease: false`) records its progress with the
 * lease's expiry as it was.
 */
export function recordHeartbeat(command: RecordHeartbeat, state: TaskState): TaskEvent[] {
  const { taskId, token, progress, checkpoint, now } = command;
  assertLeaseHeld(state, taskId, token);
  const nowMs = now.getTime();
  const leaseIsFresh = Date.parse(state.lease.expiresAt) - nowMs > state.heartbeatTimeoutMs / 2;
  const progressIsNews =
    progress !== undefined &&
    !sameJson(progress, state.progress) &&
    (state.lastProgressAt === null || nowMs - Date.parse(state.lastProgressAt) >= PROGRESS_COALESCE_MS);
  const extend = command.extendsLease !== false;
  if (checkpoint === undefined && !progressIsNews && (leaseIsFresh || !extend)) return [];
  return [
    taskHeartbeatRecorded({
      taskId,
      token,
      ...(progress !== undefined ? { progress } : {}),
      ...(checkpoint !== undefined ? { checkpoint } : {}),
      expiresAt: extend ? new Date(nowMs + state.heartbeatTimeoutMs).toISOString() : state.lease.expiresAt,
      recordedAt: now.toISOString(),
    }),
  ];
}

export interface HeartbeatAnswer {
  /** The lease's recorded expiry; null when no lease is held. */
  readonly expiresAt: string | null;
  /** The worker should checkpoint and release: the task then becomes Paused. */
  readonly pauseRequested: boolean;
  /** The worker should stop and release (or fail): the task then becomes Cancelled. */
  readonly cancelRequested: boolean;
}

/** What the HTTP layer answers a heartbeat with, from the state after it. */
export const heartbeatAnswer = (state: DefinedTask): HeartbeatAnswer => ({
  expiresAt: state.lease?.expiresAt ?? null,
  pauseRequested: state.status === 'Pausing',
  cancelRequested: state.status === 'Cancelling',
});
