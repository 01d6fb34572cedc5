import { reminderNotFound } from '../../domain/commands/reminder-guards';
import { REMINDER } from '../../reminder-aggregate';
import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { StreamHistoryQuery, historyResponse, OwnedBy } from '@herald/runtime';
import { reminderStream } from '../../domain';
import { redactReminderEvent } from '../reminder-feed';

@OwnedBy(REMINDER)
@Controller('api/v1/reminders')
export class ReminderHistoryController {
  constructor(private readonly queries: QueryBus) {}

  /** The reminder's event stream, in order: [{ revision, type, version, data, recordedAt }]. */
  @Get(':id/events')
  async history(@Param('id', new ParseUUIDPipe()) id: string) {
    const events = await this.queries.execute(new StreamHistoryQuery(reminderStream(id)));
    if (events.length === 0) {
      throw reminderNotFound(id);
    }
    return historyResponse(events, redactReminderEvent);
  }
}
