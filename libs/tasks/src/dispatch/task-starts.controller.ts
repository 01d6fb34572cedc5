import { Controller, Inject, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { CLOCK, Clock } from '@herald/kernel';
import { CommandRunner } from '@herald/runtime';
import { DueEntry } from '@herald/scheduling';
import { TASK_STARTS_TOPIC } from '../scheduling/task-timers.projection';
import { TASK } from '../task-aggregate';
import { TASK_QUEUE, TaskQueue } from './task-queue.port';

/**
 * A task's start fell due: if the stream still says Queued and due, offer it
 * to the workers of its type. Stale entries (leased, paused, moved later)
 * are dropped; a throw makes the transport deliver the entry again.
 */
@Controller()
export class TaskStartsController {
  private readonly logger = new Logger('TaskDispatch');

  constructor(
    private readonly commands: CommandRunner,
    @Inject(TASK_QUEUE) private readonly queue: TaskQueue,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @EventPattern(TASK_STARTS_TOPIC)
  async handle(@Payload() entry: DueEntry): Promise<void> {
    const { state } = await this.commands.load(TASK, entry.key);
    if (state === null || state.status !== 'Queued' || Date.parse(state.runAt) > this.clock.now().getTime()) {
      this.logger.debug({ taskId: entry.key, status: state?.status ?? 'unknown' }, 'stale task start dropped');
      return;
    }
    // Among equal priorities the one waiting longest goes first: runAt is when it became due.
    await this.queue.offer([{ taskId: state.taskId, type: state.type, priority: state.priority, enqueuedAt: state.runAt }]);
  }
}
