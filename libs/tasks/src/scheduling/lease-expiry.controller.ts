import { Controller, Inject, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { CLOCK, Clock } from '@herald/kernel';
import { CommandRunner, derivedCommandId } from '@herald/runtime';
import { DueEntry } from '@herald/scheduling';
import { TASK } from '../task-aggregate';
import { RETRIES_ON_CONFLICT } from '../commands/task-commands';
import { TASK_LEASES_TOPIC } from './task-timers.projection';

/**
 * A lease's recorded expiry came: the decider records the lapse only if the
 * same lease still holds the task and no heartbeat moved the expiry on (a
 * later timer is then already in the index). Survives restarts and works with
 * replicas: the timer lives in the scheduler's durable time index.
 */
@Controller()
export class LeaseExpiryController {
  private readonly logger = new Logger('LeaseExpiry');

  constructor(
    private readonly commands: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @EventPattern(TASK_LEASES_TOPIC)
  async handle(@Payload() entry: DueEntry): Promise<void> {
    const { state } = await this.commands.load(TASK, entry.key);
    const lease = state?.lease;
    if (!state || !lease) return;
    const expire = { type: 'ExpireLease' as const, taskId: state.taskId, token: lease.token, now: this.clock.now() };
    const { events } = await this.commands.run(TASK, state.taskId, expire, {
      retryOnConflict: RETRIES_ON_CONFLICT,
      commandId: derivedCommandId(`task-lease-lapse:${lease.token}:${lease.expiresAt}`),
    });
    if (events.length > 0)
      this.logger.warn({ taskId: state.taskId, workerId: lease.workerId, events: events.map((e) => e.type) }, 'lease lapsed: no heartbeat in time');
  }
}
