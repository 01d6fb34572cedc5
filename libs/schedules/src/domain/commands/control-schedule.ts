import { invalid } from '@herald/kernel';
import {
  OccurrenceWithdrawnData,
  ScheduleEvent,
  ScheduleSpec,
  occurrenceWithdrawn,
  scheduleDeleted,
  scheduleEnded,
  schedulePaused,
  scheduleResumed,
  scheduleUpdated,
} from '../events/schedule-events';
import { ScheduleAggregate, ScheduleState, stillAhead } from '../schedule-state';
import { occurrenceTargetId } from '../values/occurrence-id';
import { assertScheduleExists, nextWithin, planFrom, ruleOf, stateConflict } from './schedule-guards';

export interface PauseSchedule {
  readonly type: 'PauseSchedule';
  readonly scheduleId: string;
  readonly note?: string;
  readonly now: Date;
}

export interface ResumeSchedule {
  readonly type: 'ResumeSchedule';
  readonly scheduleId: string;
  readonly now: Date;
}

export interface UpdateSchedule {
  readonly type: 'UpdateSchedule';
  readonly scheduleId: string;
  /** cron, timeZone, target, overlap, catchup, endAt: what a PATCH may change. */
  readonly changes: Partial<Omit<ScheduleSpec, 'startAt'>>;
  readonly now: Date;
}

export interface DeleteSchedule {
  readonly type: 'DeleteSchedule';
  readonly scheduleId: string;
  readonly now: Date;
}

export const NOTE_MAX_LENGTH = 1_000;

/**
 * Paused: no occurrence fires, none is caught up later (a pause is not an
 * outage). The occurrences already decided ahead of their time that have not
 * come yet are withdrawn: the pause stops them too.
 */
export function pauseSchedule(command: PauseSchedule, state: ScheduleAggregate): ScheduleEvent[] {
  assertScheduleExists(state, command.scheduleId);
  if (state.status !== 'Active') throw stateConflict(state, 'paused');
  if (command.note !== undefined && command.note.length > NOTE_MAX_LENGTH)
    throw invalid('InvalidNote', `note must be at most ${NOTE_MAX_LENGTH} characters`);
  const paused = schedulePaused({ scheduleId: state.scheduleId, note: command.note ?? null, pausedAt: command.now.toISOString() });
  return [paused, ...withdrawAhead(state, command.now, 'paused')];
}

/**
 * Resumes from the next occurrence after now; one with none left ends. An
 * occurrence a pause withdrew is not planned again (planFrom starts after
 * the latest decided), nor is anything that came during the pause.
 */
export function resumeSchedule(command: ResumeSchedule, state: ScheduleAggregate): ScheduleEvent[] {
  assertScheduleExists(state, command.scheduleId);
  if (state.status !== 'Paused') throw stateConflict(state, 'resumed');
  const at = command.now.toISOString();
  const nextRunAt = nextWithin(ruleOf(state.spec), state.spec, planFrom(state, command.now));
  const resumed = scheduleResumed({ scheduleId: state.scheduleId, nextRunAt, resumedAt: at });
  return nextRunAt ? [resumed] : [resumed, scheduleEnded({ scheduleId: state.scheduleId, endedAt: at })];
}

/** Takes effect from the next occurrence: the one now planned is planned again under the new spec. */
export function updateSchedule(command: UpdateSchedule, state: ScheduleAggregate): ScheduleEvent[] {
  assertScheduleExists(state, command.scheduleId);
  if (state.status === 'Ended') throw stateConflict(state, 'changed');
  const spec = { ...state.spec, ...command.changes };
  const rule = ruleOf(spec);
  const nextRunAt = state.status === 'Active' ? nextWithin(rule, spec, planFrom(state, command.now)) : null;
  const at = command.now.toISOString();
  const updated = scheduleUpdated({ scheduleId: state.scheduleId, changes: command.changes, nextRunAt, updatedAt: at });
  const endsNow = state.status === 'Active' && !nextRunAt;
  return endsNow ? [updated, scheduleEnded({ scheduleId: state.scheduleId, endedAt: at })] : [updated];
}

/** No further runs, not even one already decided ahead of its time; the history stays readable. */
export function deleteSchedule(command: DeleteSchedule, state: ScheduleAggregate): ScheduleEvent[] {
  assertScheduleExists(state, command.scheduleId);
  if (state.deleted) throw stateConflict(state, 'deleted again');
  return [scheduleDeleted({ scheduleId: state.scheduleId, deletedAt: command.now.toISOString() }), ...withdrawAhead(state, command.now, 'deleted')];
}

/**
 * What a pause or delete at `now` withdraws: each cron occurrence fired
 * ahead of its time (SCHEDULE_LEAD_MS) that is still to come — its reminder
 * or task, due at the occurrence, is then cancelled — and the one held back
 * by `bufferOne` if it is still to come (it would otherwise fire when the
 * running task finishes; a deletion drops it whenever it was due). An
 * occurrence whose time has passed ran: nothing withdraws it.
 */
function withdrawAhead(state: ScheduleState, now: Date, reason: OccurrenceWithdrawnData['reason']): ScheduleEvent[] {
  const { scheduleId } = state;
  const base = { scheduleId, reason, withdrawnAt: now.toISOString() };
  const fired = stillAhead(state, now).map(({ scheduledFor, firedAt, target }) =>
    occurrenceWithdrawn({
      ...base,
      scheduledFor,
      firedAt,
      [target === 'task' ? 'taskId' : 'reminderId']: occurrenceTargetId(scheduleId, scheduledFor),
    }),
  );
  const { buffered } = state;
  const dropBuffered = buffered !== null && (reason === 'deleted' || Date.parse(buffered) > now.getTime());
  return dropBuffered ? [...fired, occurrenceWithdrawn({ ...base, scheduledFor: buffered })] : fired;
}
