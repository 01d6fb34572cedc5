import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, Clock, invalid } from '@herald/kernel';
import { CommandRunner, RunOptions, WithoutClock } from '@herald/runtime';
import { ScheduleAggregate, ScheduleCommand } from '../domain';
import { SCHEDULE } from '../schedule-aggregate';
import { SCHEDULE_TARGET_RULES, ScheduleTargetRules } from './schedule-target-rules.port';

/** The scheduler's firing and a user's action may meet on a schedule: each is decided again on the newer state. */
export const RETRIES_ON_CONFLICT = 5;

/** Runs schedule commands through the one command path at the current time. */
@Injectable()
export class ScheduleCommands {
  constructor(
    private readonly commands: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SCHEDULE_TARGET_RULES) private readonly targets: ScheduleTargetRules,
  ) {}

  run(command: WithoutClock<ScheduleCommand>, options: RunOptions<ScheduleAggregate> = {}) {
    return this.commands.runNow(SCHEDULE, command.scheduleId, command, { retryOnConflict: RETRIES_ON_CONFLICT, ...options });
  }

  /** A 400 naming the field when the reminder or task rules refuse the target. */
  assertTarget(target: unknown): void {
    const problem = this.targets.problem(target);
    if (problem) throw invalid('InvalidTarget', problem);
  }

  /** The schedule as its stream says now (null when unknown). */
  async current(scheduleId: string): Promise<ScheduleAggregate> {
    return (await this.commands.load(SCHEDULE, scheduleId)).state;
  }

  now(): Date {
    return this.clock.now();
  }
}
