import { RecordedEvent } from '@herald/event-store';
import { Clock } from '@herald/kernel';
import { CommandRunner, ProjectionDefinition, derivedCommandId } from '@herald/runtime';
import { SCHEDULE } from '@herald/schedules';
import { TASK_STREAM_PREFIX, isTaskEvent } from '@herald/tasks';

export const RUNS_FINISHED_PROJECTION = 'process.schedule-runs-finished';

const FINAL = new Set(['TaskCompleted', 'TaskFailed', 'TaskCancelled']);

/**
 * Tells a schedule when the task one of its occurrences enqueued finished
 * (completed, failed or cancelled), so overlap `skip` and `bufferOne` can let
 * the next occurrence run. The task's final event names the occurrence.
 */
export function runsFinishedProjection(commands: CommandRunner, clock: Clock): ProjectionDefinition {
  return {
    name: RUNS_FINISHED_PROJECTION,
    // It writes commands to other streams, not a model of its own: a replay re-sends them and their derived ids make that a no-op.
    truncate: async () => undefined,
    categories: [TASK_STREAM_PREFIX],
    handle: async (events: RecordedEvent[]) => {
      const finished = events
        .filter((e) => isTaskEvent(e) && FINAL.has(e.type))
        .map((e) => e.data as { taskId: string; scheduleId?: string; scheduledFor?: string })
        .filter((d): d is { taskId: string; scheduleId: string; scheduledFor: string } => !!d.scheduleId && !!d.scheduledFor);
      for (const { scheduleId, scheduledFor, taskId } of finished) {
        await commands.run(
          SCHEDULE,
          scheduleId,
          { type: 'RecordRunFinished', scheduleId, scheduledFor, now: clock.now() },
          { retryOnConflict: 5, commandId: derivedCommandId(`schedule-run-finished:${taskId}:${scheduledFor}`) },
        );
      }
    },
  };
}
