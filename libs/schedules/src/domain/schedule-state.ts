import { ScheduleEvent, ScheduleSpec } from './events/schedule-events';
import { isTaskTarget } from './values/schedule-target';

export type ScheduleStatus = 'Active' | 'Paused' | 'Ended';

/** A cron occurrence fired ahead of its time (SCHEDULE_LEAD_MS): its reminder or task exists, due at the occurrence. */
export interface AheadOccurrence {
  readonly scheduledFor: string;
  readonly firedAt: string;
  readonly target: 'reminder' | 'task';
}

export interface ScheduleState {
  readonly scheduleId: string;
  readonly spec: ScheduleSpec;
  readonly owner: string | null;
  readonly status: ScheduleStatus;
  readonly deleted: boolean;
  /** The next occurrence the scheduler waits for; null while paused or ended. */
  readonly nextRunAt: string | null;
  readonly lastRunAt: string | null;
  /** The latest cron occurrence decided (fired ahead of time, skipped, buffered or missed): never planned again. */
  readonly lastDecidedFor: string | null;
  readonly runs: number;
  readonly skipped: number;
  readonly missed: number;
  readonly pausedNote: string | null;
  /** Task targets: fired occurrences whose task has not finished yet. */
  readonly running: readonly string[];
  /** Overlap `bufferOne`: the occurrence waiting for the running task. */
  readonly buffered: string | null;
  /**
   * Cron occurrences fired ahead of their time, oldest first, kept until a
   * later firing shows their time has passed (read them through
   * `stillAhead`): a pause or delete before one comes withdraws it. Absent
   * from states stored before it (a view, an older snapshot).
   */
  readonly firedAhead?: readonly AheadOccurrence[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Null until created. */
export type ScheduleAggregate = ScheduleState | null;

export function evolveSchedule(state: ScheduleAggregate, event: ScheduleEvent): ScheduleAggregate {
  if (event.type === 'ScheduleCreated') {
    const { scheduleId, owner, paused, nextRunAt, createdAt, cron, timeZone, target, overlap, catchup, startAt, endAt } = event.data;
    return {
      scheduleId,
      spec: { cron, timeZone, target, overlap, catchup, startAt, endAt },
      owner,
      status: paused ? 'Paused' : 'Active',
      deleted: false,
      nextRunAt,
      lastRunAt: null,
      lastDecidedFor: null,
      runs: 0,
      skipped: 0,
      missed: 0,
      pausedNote: null,
      running: [],
      buffered: null,
      firedAhead: [],
      createdAt,
      updatedAt: createdAt,
    };
  }
  if (!state) return state;
  switch (event.type) {
    case 'ScheduleUpdated':
      return { ...state, spec: { ...state.spec, ...event.data.changes }, nextRunAt: event.data.nextRunAt, updatedAt: event.data.updatedAt };
    case 'SchedulePaused':
      return { ...state, status: 'Paused', nextRunAt: null, pausedNote: event.data.note, updatedAt: event.data.pausedAt };
    case 'ScheduleResumed':
      return { ...state, status: 'Active', nextRunAt: event.data.nextRunAt, pausedNote: null, updatedAt: event.data.resumedAt };
    case 'ScheduleDeleted':
      return { ...state, status: 'Ended', deleted: true, nextRunAt: null, buffered: null, updatedAt: event.data.deletedAt };
    case 'ScheduleEnded':
      return { ...state, status: 'Ended', nextRunAt: null, updatedAt: event.data.endedAt };
    case 'OccurrenceFired': {
      const { scheduledFor, firedAt } = event.data;
      const running = isTaskTarget(state.spec.target) ? [...state.running, scheduledFor] : state.running;
      const buffered = state.buffered === scheduledFor ? null : state.buffered;
      const lastDecidedFor = event.data.manual ? state.lastDecidedFor : later(state.lastDecidedFor, scheduledFor);
      const ahead = !event.data.manual && scheduledFor > firedAt;
      const target = isTaskTarget(event.data.target) ? ('task' as const) : ('reminder' as const);
      const firedAhead = [...stillAhead(state, new Date(firedAt)), ...(ahead ? [{ scheduledFor, firedAt, target }] : [])];
      return { ...state, runs: state.runs + 1, lastRunAt: firedAt, lastDecidedFor, running, buffered, firedAhead, updatedAt: firedAt };
    }
    case 'OccurrenceWithdrawn': {
      const { scheduledFor, withdrawnAt } = event.data;
      // A fired one was counted as a run; a buffered one (no firedAt) was not.
      const wasFired = event.data.firedAt !== undefined;
      return {
        ...state,
        runs: wasFired ? state.runs - 1 : state.runs,
        running: state.running.filter((s) => s !== scheduledFor),
        buffered: state.buffered === scheduledFor ? null : state.buffered,
        firedAhead: (state.firedAhead ?? []).filter((a) => a.scheduledFor !== scheduledFor),
        updatedAt: withdrawnAt,
      };
    }
    case 'OccurrenceSkipped':
      return {
        ...state,
        skipped: state.skipped + 1,
        lastDecidedFor: later(state.lastDecidedFor, event.data.scheduledFor),
        updatedAt: event.data.skippedAt,
      };
    case 'OccurrenceBuffered':
      return {
        ...state,
        buffered: event.data.scheduledFor,
        lastDecidedFor: later(state.lastDecidedFor, event.data.scheduledFor),
        updatedAt: event.data.bufferedAt,
      };
    case 'OccurrencesMissed':
      return {
        ...state,
        missed: state.missed + event.data.count,
        lastDecidedFor: later(state.lastDecidedFor, event.data.to),
        updatedAt: event.data.recordedAt,
      };
    case 'RunFinished':
      return { ...state, running: state.running.filter((s) => s !== event.data.scheduledFor), updatedAt: event.data.finishedAt };
    case 'NextRunPlanned':
      return { ...state, nextRunAt: event.data.nextRunAt };
  }
}

/** The occurrences fired ahead of their time that are still to come at `now`. */
export function stillAhead(state: Pick<ScheduleState, 'firedAhead'>, now: Date): readonly AheadOccurrence[] {
  return (state.firedAhead ?? []).filter((a) => Date.parse(a.scheduledFor) > now.getTime());
}

/** ISO instants compare as strings (UTC, milliseconds). */
const later = (a: string | null, b: string): string => (a !== null && a > b ? a : b);
