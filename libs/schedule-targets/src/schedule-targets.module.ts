import { Global, Module } from '@nestjs/common';
import { CLOCK, Clock } from '@herald/kernel';
import { HeraldConfig, Tracing } from '@herald/platform';
import { CallbackAddressPolicy } from '@herald/reminders';
import { CommandRunner, projectionProvider } from '@herald/runtime';
import { SCHEDULE_TARGET_RULES } from '@herald/schedules';
import { OCCURRENCE_TARGETS_PROJECTION, occurrenceTargetsProjection } from './occurrence-targets.projection';
import { RUNS_FINISHED_PROJECTION, runsFinishedProjection } from './runs-finished.projection';
import { scheduleTargetRulesWith } from './target-rules';

/** The reminder and task rules a schedule's target must meet: wherever schedules are created or changed. */
@Global()
@Module({
  providers: [
    {
      provide: SCHEDULE_TARGET_RULES,
      inject: [HeraldConfig],
      useFactory: (config: HeraldConfig) => scheduleTargetRulesWith(CallbackAddressPolicy.fromConfig(config)),
    },
  ],
  exports: [SCHEDULE_TARGET_RULES],
})
export class ScheduleTargetRulesModule {}

/**
 * Where the scheduler runs: fired occurrences become reminders and tasks, and
 * finished scheduled tasks free their schedule's overlap slot.
 */
@Module({
  providers: [
    projectionProvider(
      OCCURRENCE_TARGETS_PROJECTION,
      [CommandRunner, CLOCK, HeraldConfig, Tracing],
      (commands: CommandRunner, clock: Clock, config: HeraldConfig, tracing: Tracing) =>
        occurrenceTargetsProjection(commands, clock, config, tracing),
    ),
    projectionProvider(RUNS_FINISHED_PROJECTION, [CommandRunner, CLOCK], (commands: CommandRunner, clock: Clock) =>
      runsFinishedProjection(commands, clock),
    ),
  ],
})
export class ScheduleTargetsModule {}
