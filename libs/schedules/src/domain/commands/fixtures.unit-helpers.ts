import { ScheduleEvent, ScheduleSpec, nextRunPlanned, occurrenceFired, scheduleCreated } from '../events/schedule-events';
import { CATCHUP_DEFAULTS } from '../values/schedule-policies';

export const ID = 'c0ffee00-0000-4000-8000-000000000001';
export const T0 = Date.parse('2027-01-01T00:00:00Z');
export const HOUR = 3_600_000;
export const at = (offsetMs: number) => new Date(T0 + offsetMs);
export const iso = (offsetMs: number) => at(offsetMs).toISOString();

export const REMINDER_SPEC: ScheduleSpec = {
  cron: '0 * * * *',
  timeZone: 'UTC',
  target: { reminder: { address: 'http://receiver.internal/hook', payload: { hello: 'world' } } },
  overlap: 'skip',
  catchup: CATCHUP_DEFAULTS,
  startAt: null,
  endAt: null,
};

export const taskSpec = (overlap: ScheduleSpec['overlap']): ScheduleSpec => ({
  ...REMINDER_SPEC,
  target: { task: { type: 'sync.accounts' } },
  overlap,
});

/** Created at T0 + 10 min: the first hourly occurrence is T0 + 1 h. */
export const created = (spec: ScheduleSpec = REMINDER_SPEC, paused = false): ScheduleEvent =>
  scheduleCreated({ scheduleId: ID, ...spec, owner: null, paused, nextRunAt: paused ? null : iso(HOUR), createdAt: iso(10 * 60_000) });

export const TARGET = REMINDER_SPEC.target;
export const TASK_TARGET = taskSpec('skip').target;

/** The occurrence at T0 + h hours fired on time, and the next one planned. */
export const firedHour = (h: number, target = TARGET): ScheduleEvent[] => [
  occurrenceFired({ scheduleId: ID, scheduledFor: iso(h * HOUR), firedAt: iso(h * HOUR), manual: false, target }),
  nextRunPlanned({ scheduleId: ID, nextRunAt: iso((h + 1) * HOUR) }),
];
