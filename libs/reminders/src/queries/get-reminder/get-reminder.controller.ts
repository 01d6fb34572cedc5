import { reminderNotFound } from '../../domain/commands/reminder-guards';
import { REMINDER } from '../../reminder-aggregate';
import { OwnedBy } from '@herald/runtime';
import { Controller, Get, Inject, Param, ParseUUIDPipe } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { CLOCK, Clock } from '@herald/kernel';
import { ApiErrors, ApiIdParam } from '@herald/platform';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ReminderDto } from '../reminder-response.dto';
import { toReminderResponse } from '../reminder-response';
import { GetReminderQuery } from './get-reminder.query';

@ApiTags('reminders')
@OwnedBy(REMINDER)
@Controller('api/v1/reminders')
export class GetReminderController {
  constructor(
    private readonly queries: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get(':id')
  @ApiOperation({
    operationId: 'reminders.get',
    summary: 'Read a reminder',
    description:
      'From the read side, or from the log while the read side has yet to catch up: a reminder defined a moment ago is found at once (lists may take milliseconds to show it).',
  })
  @ApiIdParam('reminder')
  @ApiOkResponse({ type: ReminderDto })
  @ApiErrors(400, 404)
  async get(@Param('id', new ParseUUIDPipe()) id: string) {
    const view = await this.queries.execute(new GetReminderQuery(id));
    if (!view) throw reminderNotFound(id);
    return toReminderResponse(view, this.clock.now());
  }
}
