import { REMINDER } from '../../reminder-aggregate';
import { OwnedBy } from '@herald/runtime';
import { ApiErrors, ApiIdParam, RequestTraceparent } from '@herald/platform';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Body, Controller, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CLOCK, Clock } from '@herald/kernel';
import { toReminderResponse } from '../../queries/reminder-response';
import { ReminderDto } from '../../queries/reminder-response.dto';
import { RetriggerReminderCommand } from './retrigger-reminder.command';
import { RetriggerReminderDto } from './retrigger-reminder.dto';

@ApiTags('reminders')
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
  @ApiOperation({ operationId: 'reminders.retrigger', summary: 'Run a Failed or Cancelled reminder again, its attempts starting over' })
  @ApiIdParam('reminder')
  @ApiBody({ type: RetriggerReminderDto, required: false })
  @ApiOkResponse({ type: ReminderDto, description: 'The reminder, Active again and due at once or at `dueAt`' })
  @ApiErrors(400, 404, 409)
  async retrigger(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: RetriggerReminderDto, @RequestTraceparent() traceparent: string) {
    const dueAt = body.dueAt === undefined ? undefined : new Date(body.dueAt);
    const view = await this.commands.execute(new RetriggerReminderCommand(id, dueAt, traceparent));
    return toReminderResponse(view, this.clock.now());
  }
}
