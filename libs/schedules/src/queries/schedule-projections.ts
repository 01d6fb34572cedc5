import { RecordedEvent } from '@herald/event-store';
import { ProjectionDefinition, ViewFold, viewProjection } from '@herald/runtime';
import { ViewStore } from '@herald/view-store';
import { SCHEDULE_STREAM_PREFIX, ScheduleEvent, isScheduleEvent } from '../domain';
import { ScheduleRunView, runsOf } from './schedule-runs';
import { ScheduleView, projectScheduleView } from './schedule-view';

export const SCHEDULE_VIEWS_PROJECTION = 'query.schedule-views';
export const SCHEDULE_RUNS_PROJECTION = 'query.schedule-runs';

/** One schedule's view from its events: the read model's fold, also what reads fold from a stream. */
export const SCHEDULE_VIEW_FOLD: ViewFold<ScheduleView, ScheduleEvent> = {
  isEvent: isScheduleEvent,
  project: (view, event, revision) => projectScheduleView(view, event, revision),
};

export function scheduleViewsProjection(views: ViewStore<ScheduleView>): ProjectionDefinition {
  return viewProjection({
    ...SCHEDULE_VIEW_FOLD,
    name: SCHEDULE_VIEWS_PROJECTION,
    categories: [SCHEDULE_STREAM_PREFIX],
    store: views,
    idOf: (e) => e.data.scheduleId,
    creates: (e) => e.type === 'ScheduleCreated',
  });
}

/** Each occurrence's outcome; a later event on the same occurrence (buffered, then fired) replaces it. */
export function scheduleRunsProjection(runs: ViewStore<ScheduleRunView>): ProjectionDefinition {
  return {
    name: SCHEDULE_RUNS_PROJECTION,
    categories: [SCHEDULE_STREAM_PREFIX],
    gathers: 'readModel',
    truncate: () => runs.clear(),
    handle: async (events: RecordedEvent[]) => {
      const written = events.filter(isScheduleEvent).flatMap((e) => runsOf(e as RecordedEvent & ScheduleEvent, e.revision));
      if (written.length > 0) await runs.saveMany(written);
    },
  };
}
