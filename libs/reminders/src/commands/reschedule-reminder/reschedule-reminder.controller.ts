import { REMINDER } from '../../reminder-aggregate';
import { OwnedBy } from '@herald/runtime';
import { RequestTraceparent } from '@herald/platform';
import { Body, Controller, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CLOCK, Clock } from '@herald/kernel';
import { toReminderResponse } from '../../queries/reminder-response';
import { dueTimeOf } from '../due-time/due-time.dto';
import { RescheduleReminderCommand } from './reschedule-reminder.command';
import { RescheduleReminderDto } from './reschedule-reminder.dto';

@OwnedBy(REMINDER)
@Controller('api/v1/reminders')
export class RescheduleReminderController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * 200 with the reminder, now due at the new time (the old one never fires); 400 for a bad time
   * (nothing written); 404 unknown; 409 when it already completed, failed or was cancelled.
   */
  @Post(':id/reschedule')
  @HttpCode(200)
  async reschedule(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: RescheduleReminderDto, @RequestTraceparent() traceparent: string) {
    const view = await this.commands.execute(new RescheduleReminderCommand(id, dueTimeOf(body), traceparent));
    return toReminderResponse(view, this.clock.now());
  }
}
