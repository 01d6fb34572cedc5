import { taskNotFound } from '../../domain';
import { TASK } from '../../task-aggregate';
import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { StreamHistoryQuery, historyResponse, OwnedBy } from '@herald/runtime';
import { taskStream } from '../../domain';

@OwnedBy(TASK)
@Controller('api/v1/tasks')
export class TaskHistoryController {
  constructor(private readonly queries: QueryBus) {}

  /** The task's event stream, in order: its execution history. */
  @Get(':id/events')
  async history(@Param('id', new ParseUUIDPipe()) id: string) {
    const events = await this.queries.execute(new StreamHistoryQuery(taskStream(id)));
    if (events.length === 0) throw taskNotFound(id);
    return historyResponse(events, redactToken);
  }
}

/** A lease token lets its holder complete the task: the history shows enough of its secret part to tell leases apart, no more. */
function redactToken(_type: string, data: unknown): unknown {
  const d = data as { token?: unknown };
  if (typeof d?.token !== 'string') return data;
  const [taskId, secret = ''] = d.token.split('.');
  return { ...d, token: `${taskId}.${secret.slice(0, 4)}…` };
}
