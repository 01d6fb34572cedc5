import { taskNotFound } from '../../domain';
import { TASK } from '../../task-aggregate';
import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { HistoryEventDto, StreamHistoryQuery, historyResponse, OwnedBy } from '@herald/runtime';
import { ApiErrors, ApiIdParam } from '@herald/platform';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { taskStream } from '../../domain';
import { redactTaskEvent } from '../task-feed';

@ApiTags('tasks')
@OwnedBy(TASK)
@Controller('api/v1/tasks')
export class TaskHistoryController {
  constructor(private readonly queries: QueryBus) {}

  /** The task's event stream, in order: its execution history. */
  @Get(':id/events')
  @ApiOperation({
    operationId: 'tasks.events',
    summary: "The task's events, in order: its execution history",
    description: 'Read from the log itself, not the read side; lease tokens are shortened.',
  })
  @ApiIdParam('task')
  @ApiOkResponse({ type: [HistoryEventDto] })
  @ApiErrors(400, 404)
  async history(@Param('id', new ParseUUIDPipe()) id: string) {
    const events = await this.queries.execute(new StreamHistoryQuery(taskStream(id)));
    if (events.length === 0) throw taskNotFound(id);
    return historyResponse(events, redactTaskEvent);
  }
}
