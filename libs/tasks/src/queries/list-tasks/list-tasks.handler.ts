import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ViewPage, ViewStore } from '@herald/view-store';
import { TASK_VIEWS, TaskView } from '../task-view';
import { ListTasksQuery } from './list-tasks.query';

/** Instants are compared as stored: ISO-8601 UTC with milliseconds, so the bounds are normalised to that form. */
const iso = (value: string | undefined) => (value === undefined ? undefined : new Date(value).toISOString());

@QueryHandler(ListTasksQuery)
export class ListTasksHandler implements IQueryHandler<ListTasksQuery> {
  constructor(@Inject(TASK_VIEWS) private readonly views: ViewStore<TaskView>) {}

  execute({ criteria: c }: ListTasksQuery): Promise<ViewPage<TaskView>> {
    return this.views.list({
      where: {
        type: c.type,
        owner: c.owner,
        status: c.status ? { in: c.status } : undefined,
        tags: c.tag === undefined ? undefined : { contains: c.tag },
        scheduleId: c.scheduleId,
        createdAt: { gte: iso(c.createdAfter), lt: iso(c.createdBefore) },
      },
      order: c.order,
      limit: c.limit,
      cursor: c.cursor,
    });
  }
}
