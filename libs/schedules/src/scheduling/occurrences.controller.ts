import { Controller, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { HeraldConfig } from '@herald/platform';
import { derivedCommandId } from '@herald/runtime';
import { DueEntry } from '@herald/scheduling';
import { ScheduleCommands } from '../commands/schedule-commands';
import { SCHEDULE_OCCURRENCES_TOPIC } from './schedule-timers.projection';

/**
 * A schedule's next occurrence fell due: the schedule decides what fires
 * (catch-up, overlap) and plans the one after, in one append. A stale entry
 * (paused, changed meanwhile) decides nothing. What an occurrence creates is
 * created from the OccurrenceFired event by its own subscriber, not here.
 */
@Controller()
export class OccurrencesController {
  private readonly logger = new Logger('ScheduleOccurrences');

  constructor(
    private readonly schedules: ScheduleCommands,
    private readonly config: HeraldConfig,
  ) {}

  @EventPattern(SCHEDULE_OCCURRENCES_TOPIC)
  async handle(@Payload() entry: DueEntry): Promise<void> {
    const { events } = await this.schedules.run(
      { type: 'FireDueOccurrences', scheduleId: entry.key, graceMs: this.config.SCHEDULE_CATCHUP_GRACE_MS, leadMs: this.config.SCHEDULE_LEAD_MS },
      { commandId: derivedCommandId(`schedule-fire:${entry.key}:${entry.sequence}`) },
    );
    if (events.length > 0) this.logger.log({ scheduleId: entry.key, events: events.map((e) => e.type) }, 'schedule occurrences decided');
  }
}
