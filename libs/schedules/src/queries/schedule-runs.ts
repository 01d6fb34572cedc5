import { ViewDefinition } from '@herald/view-store';
import { ScheduleEvent, isTaskTarget, occurrenceTargetId } from '../domain';

export type RunOutcome = 'fired' | 'skipped' | 'missed' | 'buffered' | 'withdrawn';

/** One occurrence of a schedule and what became of it: GET /api/v1/schedules/:id/runs. */
export interface ScheduleRunView {
  /** `<scheduleId>/<scheduledFor>` */
  id: string;
  revision: number;
  scheduleId: string;
  scheduledFor: string;
  outcome: RunOutcome;
  firedAt: string | null;
  manual: boolean;
  reminderId: string | null;
  taskId: string | null;
}

export const SCHEDULE_RUN_VIEW_DEFINITION: ViewDefinition<ScheduleRunView> = {
  name: 'schedule_runs',
  fields: { scheduleId: { type: 'string' }, scheduledFor: { type: 'string' } },
  orders: { scheduledFor: { field: 'scheduledFor', direction: 'desc' } },
  indexes: [['scheduleId', 'scheduledFor']],
};

export const SCHEDULE_RUNS = Symbol('SCHEDULE_RUNS');

/** The runs an event records (a missed batch records each occurrence it lists, up to MISSED_LISTED). */
export function runsOf(event: ScheduleEvent, revision: number): ScheduleRunView[] {
  const run = (scheduleId: string, scheduledFor: string, outcome: RunOutcome, extra: Partial<ScheduleRunView> = {}): ScheduleRunView => ({
    id: `${scheduleId}/${scheduledFor}`,
    revision,
    scheduleId,
    scheduledFor,
    outcome,
    firedAt: null,
    manual: false,
    reminderId: null,
    taskId: null,
    ...extra,
  });
  switch (event.type) {
    case 'OccurrenceFired': {
      const { scheduleId, scheduledFor, firedAt, manual, target } = event.data;
      const id = occurrenceTargetId(scheduleId, scheduledFor);
      const task = isTaskTarget(target);
      return [run(scheduleId, scheduledFor, 'fired', { firedAt, manual, reminderId: task ? null : id, taskId: task ? id : null })];
    }
    case 'OccurrenceSkipped':
      return [run(event.data.scheduleId, event.data.scheduledFor, 'skipped')];
    case 'OccurrenceBuffered':
      return [run(event.data.scheduleId, event.data.scheduledFor, 'buffered')];
    case 'OccurrencesMissed':
      return event.data.scheduledFor.map((at) => run(event.data.scheduleId, at, 'missed'));
    case 'OccurrenceWithdrawn': {
      // Replaces the fired (or buffered) row of the same occurrence, keeping when it was decided and what it had created.
      const { scheduleId, scheduledFor, firedAt, reminderId, taskId } = event.data;
      return [run(scheduleId, scheduledFor, 'withdrawn', { firedAt: firedAt ?? null, reminderId: reminderId ?? null, taskId: taskId ?? null })];
    }
    default:
      return [];
  }
}

export function toRunResponse(run: ScheduleRunView) {
  const { scheduledFor, firedAt, outcome, manual, reminderId, taskId } = run;
  return { scheduledFor, firedAt, outcome, manual, ...(reminderId ? { reminderId } : {}), ...(taskId ? { taskId } : {}) };
}
