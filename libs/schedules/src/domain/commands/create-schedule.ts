import { conflict, invalid } from '@herald/kernel';
import { ScheduleEvent, ScheduleSpec, scheduleCreated } from '../events/schedule-events';
import { ScheduleAggregate } from '../schedule-state';
import { nextWithin, ruleOf } from './schedule-guards';

export interface CreateSchedule {
  readonly type: 'CreateSchedule';
  readonly scheduleId: string;
  readonly spec: ScheduleSpec;
  readonly owner: string | null;
  readonly paused: boolean;
  readonly now: Date;
}

/** A schedule that could never fire is refused, so a typo in the bounds does not pass silently. */
export function createSchedule(command: CreateSchedule, state: ScheduleAggregate): ScheduleEvent[] {
  const { scheduleId, spec, owner, paused, now } = command;
  if (state) throw conflict('ScheduleExists', `schedule ${scheduleId} already exists`);
  if (spec.startAt && spec.endAt && Date.parse(spec.endAt) <= Date.parse(spec.startAt)) {
    throw invalid('InvalidSchedule', 'endAt must be after startAt');
  }
  const first = nextWithin(ruleOf(spec), spec, now);
  if (!first)
    throw invalid('InvalidSchedule', `the schedule would never fire: no occurrence of "${spec.cron}" in ${spec.timeZone} between now and endAt`);
  return [scheduleCreated({ scheduleId, ...spec, owner, paused, nextRunAt: paused ? null : first, createdAt: now.toISOString() })];
}
