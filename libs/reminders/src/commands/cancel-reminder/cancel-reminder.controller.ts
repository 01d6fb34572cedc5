import { REMINDER } from '../../reminder-aggregate';
import { OwnedBy } from '@herald/runtime';
import { ApiErrors, ApiIdParam, RequestTraceparent } from '@herald/platform';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Controller, Delete, HttpCode, Param, ParseUUIDPipe } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CancelReminderCommand } from './cancel-reminder.command';

@ApiTags('reminders')
@OwnedBy(REMINDER)
@Controller('api/v1/reminders')
export class CancelReminderController {
  constructor(private readonly commands: CommandBus) {}

  /** 204 once cancelled; 404 unknown; 409 when it already completed, failed or was cancelled. */
  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ operationId: 'reminders.cancel', summary: 'Cancel a reminder: it will never fire' })
  @ApiIdParam('reminder')
  @ApiNoContentResponse({ description: 'Cancelled' })
  @ApiErrors(400, 404, 409)
  async cancel(@Param('id', new ParseUUIDPipe()) id: string, @RequestTraceparent() traceparent: string): Promise<void> {
    await this.commands.execute(new CancelReminderCommand(id, traceparent));
  }
}
