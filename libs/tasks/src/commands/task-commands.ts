import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, Clock } from '@herald/kernel';
import { EVENT_STORE, EventStore } from '@herald/event-store';
import { CommandRunner, RunOptions, WithoutClock, currentView } from '@herald/runtime';
import { TaskCommand, TaskState, taskStream } from '../domain';
import { TASK_VIEW_FOLD } from '../queries/projection/task-views.projection';
import { TaskView } from '../queries/task-view';
import { TASK } from '../task-aggregate';

/**
 * A user's action and a worker's report may land on a task at the same
 * moment; each is decided again on the newer state rather than refused with
 * a 409 (a heartbeat must not undo a pause request, nor the reverse).
 */
export const RETRIES_ON_CONFLICT = 5;

/** Runs task commands through the one command path and answers with the task as it now stands. */
@Injectable()
export class TaskCommands {
  constructor(
    private readonly commands: CommandRunner,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Decides `command` at the current time and returns the events it appended ([] when it had nothing to record). */
  async run(command: WithoutClock<TaskCommand>, options: RunOptions<TaskState> = {}) {
    return this.commands.runNow(TASK, command.taskId, command, { retryOnConflict: RETRIES_ON_CONFLICT, ...options });
  }

  /** The task as it stands, its revision and the events read: to decide on later without a second read (`loaded`). */
  load(taskId: string) {
    return this.commands.load(TASK, taskId);
  }

  /** The task folded from its stream: exact, and independent of how far the read model has got. */
  view(taskId: string): Promise<TaskView> {
    return currentView(this.events, TASK_VIEW_FOLD, taskStream(taskId));
  }

  now(): Date {
    return this.clock.now();
  }
}
