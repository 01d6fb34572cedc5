import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiErrors, Caller, Principal, ownerFor } from '@herald/platform';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TaskPageDto } from '../task-response.dto';
import { toTaskResponse } from '../task-response';
import { ListTasksDto } from './list-tasks.dto';
import { ListTasksQuery } from './list-tasks.query';

@ApiTags('tasks')
@Controller('api/v1/tasks')
export class ListTasksController {
  constructor(private readonly queries: QueryBus) {}

  /** { items, nextCursor }: pass nextCursor back as `cursor` for the next page; null on the last. */
  @Get()
  @ApiOperation({ operationId: 'tasks.list', summary: 'List tasks, a page at a time', description: 'Filters combine with AND.' })
  @ApiOkResponse({ type: TaskPageDto })
  @ApiErrors(400)
  async list(@Query() query: ListTasksDto, @Caller() caller: Principal) {
    const page = await this.queries.execute(new ListTasksQuery({ ...query, owner: ownerFor(caller, query.owner) ?? undefined }));
    return { items: page.items.map(toTaskResponse), nextCursor: page.nextCursor };
  }
}
