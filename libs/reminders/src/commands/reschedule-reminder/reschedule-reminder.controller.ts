import { REMINDER } from '../../reminder-aggregate';
import { OwnedBy } from '@herald/runtime';
import { ApiErrors, ApiIdParam, RequestTraceparent } from '@herald/platform';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Body, Controller, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CLOCK, Clock } from '@herald/kernel';
import { toReminderResponse } from '../../queries/reminder-response';
import { ReminderDto } from '../../queries/reminder-response.dto';
import { dueTimeOf } from '../due-time/due-time.dto';
import { RescheduleReminderCommand } from './reschedule-reminder.command';
import { RescheduleReminderDto } from './reschedule-reminder.dto';

@ApiTags('reminders')
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
  @ApiOperation({ operationId: 'reminders.reschedule', summary: 'Move the pending attempt to a new time (earlier or later)' })
  @ApiIdParam('reminder')
  @ApiOkResponse({ type: ReminderDto, description: 'The reminder, due at the new time (the old one never fires)' })
  @ApiErrors(400, 404, 409)
  async reschedule(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: RescheduleReminderDto, @RequestTraceparent() traceparent: string) {
    const view = await this.commands.execute(new RescheduleReminderCommand(id, dueTimeOf(body), traceparent));
    return toReminderResponse(view, this.clock.now());
  }
}
