import { ViewDefinition } from '@herald/view-store';
import { redactTarget } from './schedule-feed';
import { ScheduleEvent, ScheduleState, ScheduleStatus, evolveSchedule } from '../domain';

/** The query side's record of a schedule: the aggregate's own state plus its revision. */
export interface ScheduleView {
  id: string;
  revision: number;
  status: ScheduleStatus;
  owner: string | null;
  nextRunAt: string | null;
  createdAt: string;
  updatedAt: string;
  state: ScheduleState;
}

export const SCHEDULE_VIEW_DEFINITION: ViewDefinition<ScheduleView> = {
  name: 'schedule_views',
  fields: {
    status: { type: 'string' },
    owner: { type: 'string' },
    createdAt: { type: 'string' },
  },
  orders: { createdAt: { field: 'createdAt', direction: 'desc' } },
  indexes: [
    ['status', 'createdAt'],
    ['owner', 'createdAt'],
  ],
};

export const SCHEDULE_VIEWS = Symbol('SCHEDULE_VIEWS');

/** The API's shape of a schedule (GET and every action's answer). */
export function toScheduleResponse(s: ScheduleState) {
  return {
    id: s.scheduleId,
    cron: s.spec.cron,
    timeZone: s.spec.timeZone,
    target: redactTarget(s.spec.target),
    overlap: s.spec.overlap,
    catchup: s.spec.catchup.policy,
    catchupMax: s.spec.catchup.max,
    catchupWindowMs: s.spec.catchup.windowMs,
    startAt: s.spec.startAt,
    endAt: s.spec.endAt,
    owner: s.owner,
    status: s.status,
    deleted: s.deleted,
    pausedNote: s.pausedNote,
    nextRunAt: s.nextRunAt,
    lastRunAt: s.lastRunAt,
    runs: s.runs,
    skipped: s.skipped,
    missed: s.missed,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
}

/** The view after one event: the domain's own evolve, so read and write side agree on what an event means. */
export function projectScheduleView(view: ScheduleView | null, event: ScheduleEvent, revision: number): ScheduleView | null {
  const state = evolveSchedule(view?.state ?? null, event);
  if (!state) return null;
  return {
    id: state.scheduleId,
    revision,
    status: state.status,
    owner: state.owner,
    nextRunAt: state.nextRunAt,
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
    state,
  };
}
