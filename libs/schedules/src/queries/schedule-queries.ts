import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, EventStore } from '@herald/event-store';
import { viewById } from '@herald/runtime';
import { ViewPage, ViewStore } from '@herald/view-store';
import { ScheduleStatus, scheduleStream } from '../domain';
import { SCHEDULE_VIEW_FOLD } from './schedule-projections';
import { SCHEDULE_RUNS, ScheduleRunView } from './schedule-runs';
import { SCHEDULE_VIEWS, ScheduleView } from './schedule-view';

export class GetScheduleQuery extends Query<ScheduleView | null> {
  constructor(readonly scheduleId: string) {
    super();
  }
}

export interface ScheduleCriteria {
  status?: ScheduleStatus[];
  owner?: string;
  limit: number;
  cursor?: string;
}

export class ListSchedulesQuery extends Query<ViewPage<ScheduleView>> {
  constructor(readonly criteria: ScheduleCriteria) {
    super();
  }
}

export class ListRunsQuery extends Query<ViewPage<ScheduleRunView>> {
  constructor(
    readonly scheduleId: string,
    readonly page: { limit: number; cursor?: string },
  ) {
    super();
  }
}

/** From the read model, or from the log while the read model has yet to see its creation (viewById). */
@QueryHandler(GetScheduleQuery)
export class GetScheduleHandler implements IQueryHandler<GetScheduleQuery> {
  constructor(
    @Inject(SCHEDULE_VIEWS) private readonly views: ViewStore<ScheduleView>,
    @Inject(EVENT_STORE) private readonly events: EventStore,
  ) {}

  execute({ scheduleId }: GetScheduleQuery) {
    return viewById(this.views, this.events, SCHEDULE_VIEW_FOLD, scheduleId, scheduleStream(scheduleId));
  }
}

@QueryHandler(ListSchedulesQuery)
export class ListSchedulesHandler implements IQueryHandler<ListSchedulesQuery> {
  constructor(@Inject(SCHEDULE_VIEWS) private readonly views: ViewStore<ScheduleView>) {}

  execute({ criteria: c }: ListSchedulesQuery) {
    return this.views.list({
      where: { status: c.status ? { in: c.status } : undefined, owner: c.owner },
      order: 'createdAt',
      limit: c.limit,
      cursor: c.cursor,
    });
  }
}

@QueryHandler(ListRunsQuery)
export class ListRunsHandler implements IQueryHandler<ListRunsQuery> {
  constructor(@Inject(SCHEDULE_RUNS) private readonly runs: ViewStore<ScheduleRunView>) {}

  execute({ scheduleId, page }: ListRunsQuery) {
    return this.runs.list({ where: { scheduleId }, order: 'scheduledFor', limit: page.limit, cursor: page.cursor });
  }
}
