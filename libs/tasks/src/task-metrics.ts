import { Injectable, Module } from '@nestjs/common';
import { CappedLabel, HeraldConfig, Metrics } from '@herald/platform';
import { CommandRunner } from '@herald/runtime';
import { TaskEvent, TaskState, TaskStatus } from './domain';
import { TASK } from './task-aggregate';

/** What one task command did, as the task metrics count it. */
export interface TaskCounts {
  /** The status the command moved the task into; null when it left the status as it was (a heartbeat). */
  readonly entered: TaskStatus | null;
  readonly lapses: number;
}

/**
 * Every task event except a heartbeat moves the task's status (a spec folds
 * each kind to hold this), so a command that appended anything else moved
 * the task into the status it left it in. One count per command, not per
 * event: a last failed attempt (TaskAttemptFailed + TaskFailed) enters
 * Failed, not Queued and then Failed.
 */
export function taskCounts(events: readonly TaskEvent[], state: TaskState): TaskCounts {
  const moved = state !== null && events.some((e) => e.type !== 'TaskHeartbeatRecorded');
  return { entered: moved ? state.status : null, lapses: events.filter((e) => e.type === 'TaskLeaseLapsed').length };
}

/** Runners already observed: a second TaskMetrics on the same runner (a module providing it again) must not count twice. */
const observed = new WeakSet<CommandRunner>();

/**
 * `herald_tasks_total{type,status}` and `herald_task_lease_lapses_total{type}`,
 * counted where task events are appended: an observer on the command path
 * (CommandRunner.observe), so whichever module runs a task command (the API,
 * the worker protocol, lease expiry, a schedule enqueuing) counts it once,
 * in the process that decided it. Not counted in a projection: projections
 * run on every query-API replica and again on a rebuild, so each event would
 * count several times. A repeat the store alone recognises (an enqueue
 * retried at no_stream with the same id, after a lost answer or by two
 * scheduler replicas creating one occurrence's task) counts again.
 *
 * `type` is client-chosen: the first METRICS_TASK_TYPES_MAX types keep their
 * name, later ones are `(other)` (no task type can be spelled so).
 */
@Injectable()
export class TaskMetrics {
  constructor(commands: CommandRunner, metrics: Metrics, config: HeraldConfig) {
    const tasks = metrics.counter({
      name: 'herald_tasks_total',
      help: 'Task status changes by task type and the status entered (Queued on enqueue, retry, release, resume or retrigger; Running, Completed, Failed, ...).',
      labelNames: ['type', 'status'],
    });
    const lapses = metrics.counter({
      name: 'herald_task_lease_lapses_total',
      help: 'Leases that lapsed (no heartbeat within heartbeatTimeoutMs), by task type.',
      labelNames: ['type'],
    });
    if (observed.has(commands)) return;
    observed.add(commands);
    const types = new CappedLabel(config.METRICS_TASK_TYPES_MAX, '(other)');
    commands.observe(TASK, ({ events, state }) => {
      if (state === null) return;
      const { entered, lapses: lapsed } = taskCounts(events, state);
      const type = types.value(state.type);
      if (entered) tasks.inc({ type, status: entered });
      if (lapsed > 0) lapses.inc({ type }, lapsed);
    });
  }
}

/** Imported by every task module that runs task commands; a Nest module is one instance per app, so there is one TaskMetrics. */
@Module({ providers: [TaskMetrics] })
export class TaskMetricsModule {}
