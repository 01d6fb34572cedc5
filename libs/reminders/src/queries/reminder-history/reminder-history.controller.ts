import { reminderNotFound } from '../../domain/commands/reminder-guards';
import { REMINDER } from '../../reminder-aggregate';
import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { HistoryEventDto, StreamHistoryQuery, historyResponse, OwnedBy } from '@herald/runtime';
import { ApiErrors, ApiIdParam } from '@herald/platform';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { reminderStream } from '../../domain';
import { redactReminderEvent } from '../reminder-feed';

@ApiTags('reminders')
@OwnedBy(REMINDER)
@Controller('api/v1/reminders')
export class ReminderHistoryController {
  constructor(private readonly queries: QueryBus) {}

  /** The reminder's event stream, in order: [{ revision, type, version, data, recordedAt }]. */
  @Get(':id/events')
  @ApiOperation({
    operationId: 'reminders.events',
    summary: "The reminder's events, in order: its audit trail",
    description: 'Read from the log itself, not the read side; header values are redacted.',
  })
  @ApiIdParam('reminder')
  @ApiOkResponse({ type: [HistoryEventDto] })
  @ApiErrors(400, 404)
  async history(@Param('id', new ParseUUIDPipe()) id: string) {
    const events = await this.queries.execute(new StreamHistoryQuery(reminderStream(id)));
    if (events.length === 0) {
      throw reminderNotFound(id);
    }
    return historyResponse(events, redactReminderEvent);
  }
}
