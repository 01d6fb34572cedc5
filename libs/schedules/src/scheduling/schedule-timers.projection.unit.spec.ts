import { nextRunPlanned, occurrenceFired, scheduleDeleted, scheduleEnded, schedulePaused, scheduleResumed } from '../domain';
import { HOUR, ID, TARGET, created, iso } from '../domain/commands/fixtures.unit-helpers';
import { SCHEDULE_OCCURRENCES_TOPIC, scheduleTimerChange } from './schedule-timers.projection';

const LEAD = 1_500;
const put = (revision: number, atMs: number) => ({
  put: { topic: SCHEDULE_OCCURRENCES_TOPIC, key: ID, sequence: revision, dueAt: Date.parse(iso(atMs)) - LEAD },
});
const drop = { remove: { topic: SCHEDULE_OCCURRENCES_TOPIC, key: ID } };

describe('schedule timers: what each schedule event does to its occurrence timer', () => {
  it('plans the next run leadMs before it, whenever an event sets nextRunAt', () => {
    expect(scheduleTimerChange(created(), 0, LEAD)).toEqual(put(0, HOUR));
    expect(scheduleTimerChange(nextRunPlanned({ scheduleId: ID, nextRunAt: iso(2 * HOUR) }), 3, LEAD)).toEqual(put(3, 2 * HOUR));
    expect(scheduleTimerChange(scheduleResumed({ scheduleId: ID, nextRunAt: iso(5 * HOUR), resumedAt: iso(4 * HOUR) }), 4, LEAD)).toEqual(
      put(4, 5 * HOUR),
    );
  });

  it('drops the timer when paused, deleted, ended, or left without a next run', () => {
    expect(scheduleTimerChange(schedulePaused({ scheduleId: ID, note: null, pausedAt: iso(0) }), 1, LEAD)).toEqual(drop);
    expect(scheduleTimerChange(scheduleDeleted({ scheduleId: ID, deletedAt: iso(0) }), 1, LEAD)).toEqual(drop);
    expect(scheduleTimerChange(scheduleEnded({ scheduleId: ID, endedAt: iso(0) }), 1, LEAD)).toEqual(drop);
    expect(scheduleTimerChange(nextRunPlanned({ scheduleId: ID, nextRunAt: null }), 1, LEAD)).toEqual(drop);
  });

  it('plans nothing for a schedule created paused, and leaves the timer alone for occurrence events', () => {
    expect(scheduleTimerChange(created(undefined, true), 0, LEAD)).toEqual(drop);
    const fired = occurrenceFired({ scheduleId: ID, scheduledFor: iso(HOUR), firedAt: iso(HOUR - LEAD), manual: false, target: TARGET });
    expect(scheduleTimerChange(fired, 1, LEAD)).toBeUndefined();
  });
});
