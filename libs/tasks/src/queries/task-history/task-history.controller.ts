import { taskNotFound } from '../../domain';
import { TASK } from '../../task-aggregate';
import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { StreamHistoryQuery, historyResponse, OwnedBy } from '@herald/runtime';
import { taskStream } from '../../domain';
import { redactTaskEvent } from '../task-feed';

@OwnedBy(TASK)
@Controller('api/v1/tasks')
export class TaskHistoryController {
  constructor(private readonly queries: QueryBus) {}

  /** The task's event stream, in order: its execution history. */
  @Get(':id/events')
  async history(@Param('id', new ParseUUIDPipe()) id: string) {
    const events = await this.queries.execute(new StreamHistoryQuery(taskStream(id)));
    if (events.length === 0) throw taskNotFound(id);
    return historyResponse(events, redactTaskEvent);
  }
}
