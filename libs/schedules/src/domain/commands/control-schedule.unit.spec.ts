import { deciderSpecification } from '@herald/testing';
import {
  nextRunPlanned,
  occurrenceFired,
  scheduleDeleted,
  scheduleEnded,
  schedulePaused,
  scheduleResumed,
  scheduleUpdated,
} from '../events/schedule-events';
import { scheduleDecider } from '../schedule-decider';
import { HOUR, ID, REMINDER_SPEC, TARGET, at, created, firedHour, iso } from './fixtures.unit-helpers';

const spec = deciderSpecification(scheduleDecider);
const NOW = 90 * 60_000; // T0 + 1 h 30 min
const paused = schedulePaused({ scheduleId: ID, note: 'maintenance', pausedAt: iso(NOW) });

describe('PauseSchedule and ResumeSchedule', () => {
  it('pauses an active schedule with a note', () => {
    spec
      .given([created(), ...firedHour(1)])
      .when({ type: 'PauseSchedule', scheduleId: ID, note: 'maintenance', now: at(NOW) })
      .then([paused]);
  });

  it('resumes from the next occurrence after now: what came during the pause is not caught up', () => {
    spec
      .given([created(), paused])
      .when({ type: 'ResumeSchedule', scheduleId: ID, now: at(5 * HOUR + 60_000) })
      .then([scheduleResumed({ scheduleId: ID, nextRunAt: iso(6 * HOUR), resumedAt: iso(5 * HOUR + 60_000) })]);
  });

  it('ends a schedule resumed after its endAt', () => {
    spec
      .given([created({ ...REMINDER_SPEC, endAt: iso(3 * HOUR) }), paused])
      .when({ type: 'ResumeSchedule', scheduleId: ID, now: at(4 * HOUR) })
      .then([
        scheduleResumed({ scheduleId: ID, nextRunAt: null, resumedAt: iso(4 * HOUR) }),
        scheduleEnded({ scheduleId: ID, endedAt: iso(4 * HOUR) }),
      ]);
  });

  it('refuses to pause what is not active, to resume what is not paused, a long note, and an unknown schedule', () => {
    spec
      .given([created(), paused])
      .when({ type: 'PauseSchedule', scheduleId: ID, now: at(NOW) })
      .thenThrows({ kind: 'conflict', message: /is Paused; it cannot be paused/ });
    spec
      .given([created()])
      .when({ type: 'ResumeSchedule', scheduleId: ID, now: at(NOW) })
      .thenThrows({ kind: 'conflict', message: /is Active; it cannot be resumed/ });
    spec
      .given([created()])
      .when({ type: 'PauseSchedule', scheduleId: ID, note: 'n'.repeat(1_001), now: at(NOW) })
      .thenThrows({ kind: 'invalid', message: /note must be at most 1000 characters/ });
    spec
      .given([])
      .when({ type: 'ResumeSchedule', scheduleId: ID, now: at(NOW) })
      .thenThrows({ kind: 'not-found' });
  });
});

describe('UpdateSchedule', () => {
  it('plans the next run under the new pattern, from now', () => {
    spec
      .given([created()])
      .when({ type: 'UpdateSchedule', scheduleId: ID, changes: { cron: '*/15 * * * *' }, now: at(20 * 60_000) })
      .then([scheduleUpdated({ scheduleId: ID, changes: { cron: '*/15 * * * *' }, nextRunAt: iso(30 * 60_000), updatedAt: iso(20 * 60_000) })]);
  });

  it('never plans again an occurrence already fired ahead of its time (a PATCH within the lead)', () => {
    const firedAhead = [
      occurrenceFired({ scheduleId: ID, scheduledFor: iso(HOUR), firedAt: iso(HOUR - 1_500), manual: false, target: TARGET }),
      nextRunPlanned({ scheduleId: ID, nextRunAt: iso(2 * HOUR) }),
    ];
    spec
      .given([created(), ...firedAhead])
      .when({ type: 'UpdateSchedule', scheduleId: ID, changes: { cron: '*/30 * * * *' }, now: at(HOUR - 1_000) })
      .then([
        scheduleUpdated({ scheduleId: ID, changes: { cron: '*/30 * * * *' }, nextRunAt: iso(HOUR + 30 * 60_000), updatedAt: iso(HOUR - 1_000) }),
      ]);
  });

  it('keeps a paused schedule unplanned, and ends an active one the change leaves without runs', () => {
    spec
      .given([created(), paused])
      .when({ type: 'UpdateSchedule', scheduleId: ID, changes: { timeZone: 'Asia/Tokyo' }, now: at(2 * HOUR) })
      .then([scheduleUpdated({ scheduleId: ID, changes: { timeZone: 'Asia/Tokyo' }, nextRunAt: null, updatedAt: iso(2 * HOUR) })]);
    spec
      .given([created()])
      .when({ type: 'UpdateSchedule', scheduleId: ID, changes: { endAt: iso(30 * 60_000) }, now: at(20 * 60_000) })
      .then([
        scheduleUpdated({ scheduleId: ID, changes: { endAt: iso(30 * 60_000) }, nextRunAt: null, updatedAt: iso(20 * 60_000) }),
        scheduleEnded({ scheduleId: ID, endedAt: iso(20 * 60_000) }),
      ]);
  });

  it('refuses a pattern it cannot read and a deleted schedule', () => {
    spec
      .given([created()])
      .when({ type: 'UpdateSchedule', scheduleId: ID, changes: { cron: 'every day' }, now: at(NOW) })
      .thenThrows({ kind: 'invalid', message: /cron must be/ });
    spec
      .given([created(), scheduleDeleted({ scheduleId: ID, deletedAt: iso(NOW) })])
      .when({ type: 'UpdateSchedule', scheduleId: ID, changes: { cron: '0 0 * * *' }, now: at(NOW) })
      .thenThrows({ kind: 'conflict', message: /is deleted; it cannot be changed/ });
  });
});

describe('DeleteSchedule', () => {
  it('deletes a schedule, active or paused, once', () => {
    const deleted = scheduleDeleted({ scheduleId: ID, deletedAt: iso(NOW) });
    spec
      .given([created()])
      .when({ type: 'DeleteSchedule', scheduleId: ID, now: at(NOW) })
      .then([deleted]);
    spec
      .given([created(), paused])
      .when({ type: 'DeleteSchedule', scheduleId: ID, now: at(NOW) })
      .then([deleted]);
    spec
      .given([created(), deleted])
      .when({ type: 'DeleteSchedule', scheduleId: ID, now: at(NOW) })
      .thenThrows({ kind: 'conflict' });
  });
});
