import { REMINDER } from '../../reminder-aggregate';
import { OwnedBy } from '@herald/runtime';
import { RequestTraceparent } from '@herald/platform';
import { Controller, Delete, HttpCode, Param, ParseUUIDPipe } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CancelReminderCommand } from './cancel-reminder.command';

@OwnedBy(REMINDER)
@Controller('api/v1/reminders')
export class CancelReminderController {
  constructor(private readonly commands: CommandBus) {}

  /** 204 once cancelled; 404 unknown; 409 when it already completed, failed or was cancelled. */
  @Delete(':id')
  @HttpCode(204)
  async cancel(@Param('id', new ParseUUIDPipe()) id: string, @RequestTraceparent() traceparent: string): Promise<void> {
    await this.commands.execute(new CancelReminderCommand(id, traceparent));
  }
}
