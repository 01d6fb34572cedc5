import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Caller, Principal, ownerFor } from '@herald/platform';
import { toTaskResponse } from '../task-response';
import { ListTasksDto } from './list-tasks.dto';
import { ListTasksQuery } from './list-tasks.query';

@Controller('api/v1/tasks')
export class ListTasksController {
  constructor(private readonly queries: QueryBus) {}

  /** { items, nextCursor }: pass nextCursor back as `cursor` for the next page; null on the last. */
  @Get()
  async list(@Query() query: ListTasksDto, @Caller() caller: Principal) {
    const page = await this.queries.execute(new ListTasksQuery({ ...query, owner: ownerFor(caller, query.owner) ?? undefined }));
    return { items: page.items.map(toTaskResponse), nextCursor: page.nextCursor };
  }
}
