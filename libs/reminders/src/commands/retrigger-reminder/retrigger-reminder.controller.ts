import { REMINDER } from '../../reminder-aggregate';
import { OwnedBy } from '@herald/runtime';
import { RequestTraceparent } from '@herald/platform';
import { Body, Controller, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CLOCK, Clock } from '@herald/kernel';
import { toReminderResponse } from '../../queries/reminder-response';
import { RetriggerReminderCommand } from './retrigger-reminder.command';
import { RetriggerReminderDto } from './retrigger-reminder.dto';

@OwnedBy(REMINDER)
@Controller('api/v1/reminders')
export class RetriggerReminderController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * 200 with the reminder, Active again and due at once (or at `dueAt`) with its attempts starting
   * over; 400 for a bad dueAt (nothing written); 404 unknown; 409 unless it is Failed or Cancelled.
   */
  @Post(':id/retrigger')
  @HttpCode(200)
  async retrigger(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: RetriggerReminderDto, @RequestTraceparent() traceparent: string) {
    const dueAt = body.dueAt === undefined ? undefined : new Date(body.dueAt);
    const view = await this.commands.execute(new RetriggerReminderCommand(id, dueAt, traceparent));
    return toReminderResponse(view, this.clock.now());
  }
}
