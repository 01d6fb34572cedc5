import { DomainEvent } from '@herald/kernel';
import { Catchup, OverlapPolicy } from '../values/schedule-policies';
import { ScheduleTarget } from '../values/schedule-target';

/** Every schedule event carries the schedule id. Times are ISO-8601 with milliseconds, UTC. */
export interface ScheduleSpec {
  cron: string;
  timeZone: string;
  target: ScheduleTarget;
  overlap: OverlapPolicy;
  catchup: Catchup;
  startAt: string | null;
  endAt: string | null;
}

export interface ScheduleCreatedData extends ScheduleSpec {
  scheduleId: string;
  owner: string | null;
  paused: boolean;
  /** The first occurrence, or null when the bounds leave none. */
  nextRunAt: string | null;
  createdAt: string;
}

export interface ScheduleUpdatedData {
  scheduleId: string;
  /** Only the fields the PATCH named. */
  changes: Partial<ScheduleSpec>;
  nextRunAt: string | null;
  updatedAt: string;
}

export interface SchedulePausedData {
  scheduleId: string;
  note: string | null;
  pausedAt: string;
}

export interface ScheduleResumedData {
  scheduleId: string;
  nextRunAt: string | null;
  resumedAt: string;
}

export interface ScheduleDeletedData {
  scheduleId: string;
  deletedAt: string;
}

/** No occurrence is left before endAt (or the pattern has none): the schedule is Ended. */
export interface ScheduleEndedData {
  scheduleId: string;
  endedAt: string;
}

/** An occurrence ran: its reminder or task is created with an id derived from (scheduleId, scheduledFor). */
export interface OccurrenceFiredData {
  scheduleId: string;
  scheduledFor: string;
  firedAt: string;
  /** A `trigger` outside the cron. */
  manual: boolean;
  /** What this occurrence creates, as the schedule said when it fired (a later PATCH does not change it). */
  target: ScheduleTarget;
  /** The schedule's owner, when it has one: the reminder or task created gets it (absent on events before owners). */
  owner?: string;
}

export interface OccurrenceSkippedData {
  scheduleId: string;
  scheduledFor: string;
  /** `overlap`: the previous task had not finished. */
  reason: 'overlap';
  skippedAt: string;
}

/** Held back under overlap `bufferOne`: it fires once the running task finishes. */
export interface OccurrenceBufferedData {
  scheduleId: string;
  scheduledFor: string;
  bufferedAt: string;
}

/** Occurrences that came while Herald was down and that the catch-up policy does not fire. */
export interface OccurrencesMissedData {
  scheduleId: string;
  /** Each one, up to MISSED_LISTED; `count` says how many in all, from `from` to `to`. */
  scheduledFor: string[];
  count: number;
  /** Set when there were so many that counting stopped at MAX_COUNTED: `count` is then a lower bound. */
  countIsLowerBound?: boolean;
  from: string;
  to: string;
  recordedAt: string;
}

/** The task of a fired occurrence finished (any way): overlap may let the next one run. */
export interface RunFinishedData {
  scheduleId: string;
  scheduledFor: string;
  finishedAt: string;
}

/**
 * An occurrence decided ahead of its time (SCHEDULE_LEAD_MS) that will not
 * run: the schedule was paused or deleted before it came. A fired one's
 * reminder or task (created due at the occurrence) is cancelled by the
 * occurrence subscriber; one held by overlap `bufferOne` had created nothing.
 */
export interface OccurrenceWithdrawnData {
  scheduleId: string;
  scheduledFor: string;
  reason: 'paused' | 'deleted';
  withdrawnAt: string;
  /** When its OccurrenceFired decided it; absent for a buffered one (never fired). */
  firedAt?: string;
  /** What its OccurrenceFired created (occurrenceTargetId), to cancel: one of the two, neither for a buffered one. */
  reminderId?: string;
  taskId?: string;
}

/** After a decision on due occurrences: when the next one is (null: none left). */
export interface NextRunPlannedData {
  scheduleId: string;
  nextRunAt: string | null;
}

export type ScheduleCreated = DomainEvent<'ScheduleCreated', ScheduleCreatedData>;
export type ScheduleUpdated = DomainEvent<'ScheduleUpdated', ScheduleUpdatedData>;
export type SchedulePaused = DomainEvent<'SchedulePaused', SchedulePausedData>;
export type ScheduleResumed = DomainEvent<'ScheduleResumed', ScheduleResumedData>;
export type ScheduleDeleted = DomainEvent<'ScheduleDeleted', ScheduleDeletedData>;
export type ScheduleEnded = DomainEvent<'ScheduleEnded', ScheduleEndedData>;
export type OccurrenceFired = DomainEvent<'OccurrenceFired', OccurrenceFiredData>;
export type OccurrenceSkipped = DomainEvent<'OccurrenceSkipped', OccurrenceSkippedData>;
export type OccurrenceBuffered = DomainEvent<'OccurrenceBuffered', OccurrenceBufferedData>;
export type OccurrencesMissed = DomainEvent<'OccurrencesMissed', OccurrencesMissedData>;
export type RunFinished = DomainEvent<'RunFinished', RunFinishedData>;
export type NextRunPlanned = DomainEvent<'NextRunPlanned', NextRunPlannedData>;
export type OccurrenceWithdrawn = DomainEvent<'OccurrenceWithdrawn', OccurrenceWithdrawnData>;

export type ScheduleEvent =
  | ScheduleCreated
  | ScheduleUpdated
  | SchedulePaused
  | ScheduleResumed
  | ScheduleDeleted
  | ScheduleEnded
  | OccurrenceFired
  | OccurrenceSkipped
  | OccurrenceBuffered
  | OccurrencesMissed
  | RunFinished
  | NextRunPlanned
  | OccurrenceWithdrawn;

export const SCHEDULE_EVENT_TYPES: readonly ScheduleEvent['type'][] = [
  'ScheduleCreated',
  'ScheduleUpdated',
  'SchedulePaused',
  'ScheduleResumed',
  'ScheduleDeleted',
  'ScheduleEnded',
  'OccurrenceFired',
  'OccurrenceSkipped',
  'OccurrenceBuffered',
  'OccurrencesMissed',
  'RunFinished',
  'NextRunPlanned',
  'OccurrenceWithdrawn',
];

export function isScheduleEvent(event: { type: string }): event is ScheduleEvent {
  return (SCHEDULE_EVENT_TYPES as readonly string[]).includes(event.type);
}

/** Streams are named `schedule-<id>`. */
export const SCHEDULE_STREAM_PREFIX = 'schedule-';
export const scheduleStream = (scheduleId: string) => `${SCHEDULE_STREAM_PREFIX}${scheduleId}`;

/** At most this many missed occurrences are listed one by one in an OccurrencesMissed event. */
export const MISSED_LISTED = 100;

const event =
  <T extends ScheduleEvent['type']>(type: T) =>
  (data: Extract<ScheduleEvent, { type: T }>['data']) =>
    ({ type, version: 1, data }) as Extract<ScheduleEvent, { type: T }>;

export const scheduleCreated = event('ScheduleCreated');
export const scheduleUpdated = event('ScheduleUpdated');
export const schedulePaused = event('SchedulePaused');
export const scheduleResumed = event('ScheduleResumed');
export const scheduleDeleted = event('ScheduleDeleted');
export const scheduleEnded = event('ScheduleEnded');
export const occurrenceFired = event('OccurrenceFired');
export const occurrenceSkipped = event('OccurrenceSkipped');
export const occurrenceBuffered = event('OccurrenceBuffered');
export const occurrencesMissed = event('OccurrencesMissed');
export const runFinished = event('RunFinished');
export const nextRunPlanned = event('NextRunPlanned');
export const occurrenceWithdrawn = event('OccurrenceWithdrawn');
