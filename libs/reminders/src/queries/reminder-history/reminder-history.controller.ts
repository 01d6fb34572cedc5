import { reminderNotFound } from '../../domain/commands/reminder-guards';
import { REMINDER } from '../../reminder-aggregate';
import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { StreamHistoryQuery, historyResponse, OwnedBy } from '@herald/runtime';
import { reminderStream } from '../../domain';

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
    return historyResponse(events, redact);
  }
}

/** Header values may be credentials: the log keeps them to send them, the API shows only that they exist. */
function redact(type: string, data: unknown): unknown {
  if (type !== 'ReminderDefined') return data;
  const defined = data as { headers?: Record<string, string> };
  const headers = Object.fromEntries(Object.keys(defined.headers ?? {}).map((name) => [name, '[redacted]']));
  return { ...defined, headers };
}
