import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import {
  HandOff,
  SchedulerModule,
  StreamHistoryModule,
  VIEW_STORES,
  ViewStores,
  projectionProvider,
  DeliveryModule,
  feedSourceProvider,
} from '@herald/runtime';
import { TIME_INDEX, TimeIndex } from '@herald/scheduling';
import { ViewStore } from '@herald/view-store';
import { HeraldConfig } from '@herald/platform';
import { ScheduleCommands } from './commands/schedule-commands';
import { ScheduleCommandsController } from './commands/schedule-commands.controller';
import { ScheduleMetricsModule } from './schedule-metrics';
import { SCHEDULE_RUNS_PROJECTION, SCHEDULE_VIEWS_PROJECTION, scheduleRunsProjection, scheduleViewsProjection } from './queries/schedule-projections';
import { GetScheduleHandler, ListRunsHandler, ListSchedulesHandler } from './queries/schedule-queries';
import { ScheduleQueriesController } from './queries/schedule-queries.controller';
import { SCHEDULE_FEED_SOURCE } from './queries/schedule-feed';
import { SCHEDULE_RUNS, SCHEDULE_RUN_VIEW_DEFINITION, ScheduleRunView } from './queries/schedule-runs';
import { SCHEDULE_VIEWS, SCHEDULE_VIEW_DEFINITION, ScheduleView } from './queries/schedule-view';
import { OccurrencesController } from './scheduling/occurrences.controller';
import { SCHEDULE_TIMERS_PROJECTION, scheduleTimersProjection } from './scheduling/schedule-timers.projection';
import { SCHEDULES_API_DOCS } from './api-docs';

/** The schedule views' stores, opened on whichever adapter the service's storage chose. */
@Module({
  providers: [
    { provide: SCHEDULE_VIEWS, inject: [VIEW_STORES], useFactory: (stores: ViewStores) => stores.open(SCHEDULE_VIEW_DEFINITION) },
    { provide: SCHEDULE_RUNS, inject: [VIEW_STORES], useFactory: (stores: ViewStores) => stores.open(SCHEDULE_RUN_VIEW_DEFINITION) },
  ],
  exports: [SCHEDULE_VIEWS, SCHEDULE_RUNS],
})
export class ScheduleViewsModule {}

/** The read model's projections (the query API, and npm run replay). */
@Module({
  imports: [ScheduleViewsModule],
  providers: [
    projectionProvider(SCHEDULE_VIEWS_PROJECTION, [SCHEDULE_VIEWS], (views: ViewStore<ScheduleView>) => scheduleViewsProjection(views)),
    projectionProvider(SCHEDULE_RUNS_PROJECTION, [SCHEDULE_RUNS], (runs: ViewStore<ScheduleRunView>) => scheduleRunsProjection(runs)),
  ],
})
export class ScheduleProjectionsModule {}

/** Every schedule projection, registered without the services around them: what `npm run replay` rebuilds. */
@Module({
  imports: [ScheduleProjectionsModule],
  providers: [
    projectionProvider(SCHEDULE_TIMERS_PROJECTION, [TIME_INDEX, HeraldConfig], (index: TimeIndex, config: HeraldConfig) =>
      scheduleTimersProjection(index, config.SCHEDULE_LEAD_MS),
    ),
  ],
})
export class ScheduleReplayModule {}

/** The schedule command API: create, patch, delete, pause, resume, trigger. Needs the target rules (ScheduleTargetRulesModule). */
@Module({
  imports: [ScheduleMetricsModule],
  controllers: [ScheduleCommandsController],
  providers: [ScheduleCommands, SCHEDULES_API_DOCS],
  exports: [ScheduleCommands],
})
export class ScheduleCommandsModule {}

/** The schedule query API: views, runs, previews and streams. */
@Module({
  imports: [CqrsModule, StreamHistoryModule, ScheduleViewsModule, ScheduleProjectionsModule],
  controllers: [ScheduleQueriesController],
  providers: [
    GetScheduleHandler,
    ListSchedulesHandler,
    ListRunsHandler,
    SCHEDULES_API_DOCS,
    feedSourceProvider('schedule', [], () => SCHEDULE_FEED_SOURCE),
  ],
})
export class ScheduleQueriesModule {}

/** The scheduler's schedule half: each active schedule's next occurrence in the time index. */
@Module({
  imports: [SchedulerModule],
  providers: [
    projectionProvider(SCHEDULE_TIMERS_PROJECTION, [TIME_INDEX, HandOff, HeraldConfig], (index: TimeIndex, handOff: HandOff, config: HeraldConfig) =>
      scheduleTimersProjection(index, config.SCHEDULE_LEAD_MS, (entries) => handOff.nudge(entries)),
    ),
  ],
})
export class ScheduleSchedulerModule {}

/** The consumer of due occurrences: decides what fires and plans the next one. */
@Module({ imports: [DeliveryModule, ScheduleMetricsModule], controllers: [OccurrencesController], providers: [ScheduleCommands] })
export class ScheduleOccurrencesModule {}
