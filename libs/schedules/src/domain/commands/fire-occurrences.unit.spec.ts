import { deciderSpecification } from '@herald/testing';
import {
  nextRunPlanned,
  occurrenceBuffered,
  occurrenceFired,
  occurrenceSkipped,
  occurrencesMissed,
  runFinished,
  scheduleDeleted,
  scheduleEnded,
  schedulePaused,
} from '../events/schedule-events';
import { scheduleDecider } from '../schedule-decider';
import { ScheduleSpec } from '../events/schedule-events';
import { FireDueOccurrences, MAX_COUNTED } from './fire-occurrences';
import { HOUR, ID, REMINDER_SPEC, TARGET, TASK_TARGET, at, created, firedHour, iso, taskSpec } from './fixtures.unit-helpers';

const spec = deciderSpecification(scheduleDecider);
const GRACE = 5_000;
const fireAt = (offsetMs: number, leadMs = 0): FireDueOccurrences => ({
  type: 'FireDueOccurrences',
  scheduleId: ID,
  now: at(offsetMs),
  graceMs: GRACE,
  leadMs,
});
const fired = (h: number, firedAtMs: number, manual = false, target = TARGET) =>
  occurrenceFired({ scheduleId: ID, scheduledFor: iso(h * HOUR), firedAt: iso(firedAtMs), manual, target });
const planned = (h: number | null) => nextRunPlanned({ scheduleId: ID, nextRunAt: h === null ? null : iso(h * HOUR) });
const withCatchup = (catchup: Partial<ScheduleSpec['catchup']>) => created({ ...REMINDER_SPEC, catchup: { ...REMINDER_SPEC.catchup, ...catchup } });
const missed = (hours: number[], count = hours.length, recordedAtMs: number) =>
  occurrencesMissed({
    scheduleId: ID,
    scheduledFor: hours.map((h) => iso(h * HOUR)),
    count,
    from: iso(hours[0] * HOUR),
    to: iso(hours[hours.length - 1] * HOUR),
    recordedAt: iso(recordedAtMs),
  });

describe('FireDueOccurrences', () => {
  it('fires the occurrence that fell due and plans the next one', () => {
    spec
      .given([created()])
      .when(fireAt(HOUR + 12))
      .then([fired(1, HOUR + 12), planned(2)]);
  });

  it('decides an occurrence up to leadMs ahead of its time, and plans the next one after that horizon', () => {
    const lead = 1_000;
    spec
      .given([created()])
      .when(fireAt(HOUR - lead, lead))
      .then([fired(1, HOUR - lead), planned(2)]);
    spec
      .given([created()])
      .when(fireAt(HOUR - lead - 1, lead))
      .then([]);
  });

  it('decides nothing for a timer that is early or stale (paused, deleted)', () => {
    spec
      .given([created()])
      .when(fireAt(HOUR - 1))
      .then([]);
    spec
      .given([created(), schedulePaused({ scheduleId: ID, note: null, pausedAt: iso(50 * 60_000) })])
      .when(fireAt(HOUR))
      .then([]);
    spec
      .given([created(), scheduleDeleted({ scheduleId: ID, deletedAt: iso(50 * 60_000) })])
      .when(fireAt(HOUR))
      .then([]);
  });

  describe('after an outage (occurrences overdue by more than the grace)', () => {
    // Down from before 01:00 until 04:00:30: 01:00 to 04:00 came meanwhile, all overdue by more than the 5 s grace.
    const back = 4 * HOUR + 30_000;

    it('latest (the default): fires only the most recent and records the others as missed', () => {
      spec
        .given([created()])
        .when(fireAt(back))
        .then([missed([1, 2, 3], 3, back), fired(4, back), planned(5)]);
    });

    it('skip: fires none of them', () => {
      spec
        .given([withCatchup({ policy: 'skip' })])
        .when(fireAt(back))
        .then([missed([1, 2, 3, 4], 4, back), planned(5)]);
    });

    it('all: fires each, up to catchupMax (the most recent)', () => {
      spec
        .given([withCatchup({ policy: 'all', max: 2 })])
        .when(fireAt(back))
        .then([missed([1, 2], 2, back), fired(3, back), fired(4, back), planned(5)]);
    });

    it('never fires what is older than the catch-up window, whatever the policy', () => {
      spec
        .given([withCatchup({ policy: 'all', windowMs: 2 * HOUR })])
        .when(fireAt(back))
        .then([missed([1, 2], 2, back), fired(3, back), fired(4, back), planned(5)]);
    });

    it('fires an occurrence that is late by less than the grace as on time, beside the caught-up one', () => {
      const justBack = 4 * HOUR + 2_000;
      spec
        .given([created()])
        .when(fireAt(justBack))
        .then([missed([1, 2], 2, justBack), fired(3, justBack), fired(4, justBack), planned(5)]);
    });
  });

  describe('after a long outage of a schedule firing every second', () => {
    const EVERY_SECOND: ScheduleSpec = { ...REMINDER_SPEC, cron: '* * * * * *' };
    const sec = (s: number) => iso(HOUR + s * 1_000); // s seconds after the first occurrence, 01:00:00
    const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
    const firedSeconds = (seconds: number[], nowMs: number) =>
      seconds.map((s) => occurrenceFired({ scheduleId: ID, scheduledFor: sec(s), firedAt: iso(nowMs), manual: false, target: TARGET }));
    const missedSeconds = (listed: number[], count: number, nowMs: number, countIsLowerBound = false) =>
      occurrencesMissed({
        scheduleId: ID,
        scheduledFor: listed.map(sec),
        count,
        ...(countIsLowerBound ? { countIsLowerBound } : {}),
        from: sec(0),
        to: sec(listed[listed.length - 1]),
        recordedAt: iso(nowMs),
      });
    const plannedSecond = (s: number) => nextRunPlanned({ scheduleId: ID, nextRunAt: sec(s) });
    // Back at 03:00:00.5: 7,201 occurrences came; those since 02:59:55.5 are within the 5 s grace.
    const back = HOUR + 7_200_500;

    it('latest: fires the newest overdue one and those on time, lists the newest 100 missed and counts them all', () => {
      spec
        .given([created(EVERY_SECOND)])
        .when(fireAt(back))
        .then([missedSeconds(range(7095, 7194), 7195, back), ...firedSeconds(range(7195, 7200), back), plannedSecond(7201)]);
    });

    it('all: fires the newest catchupMax overdue ones, however many came', () => {
      spec
        .given([created({ ...EVERY_SECOND, catchup: { ...EVERY_SECOND.catchup, policy: 'all', max: 1_000 } })])
        .when(fireAt(back))
        .then([missedSeconds(range(6096, 6195), 6196, back), ...firedSeconds(range(6196, 7200), back), plannedSecond(7201)]);
    });

    it('after two days still fires the right ones; the missed count stops at MAX_COUNTED beyond those listed, flagged a lower bound', () => {
      const twoDays = HOUR + 172_800_500;
      spec
        .given([created(EVERY_SECOND)])
        .when(fireAt(twoDays))
        .then([
          missedSeconds(range(172_695, 172_794), 100 + MAX_COUNTED, twoDays, true),
          ...firedSeconds(range(172_795, 172_800), twoDays),
          plannedSecond(172_801),
        ]);
    });
  });

  it('ends the schedule after its last occurrence before endAt', () => {
    spec
      .given([created({ ...REMINDER_SPEC, endAt: iso(2 * HOUR) }), ...firedHour(1)])
      .when(fireAt(2 * HOUR))
      .then([fired(2, 2 * HOUR), planned(null), scheduleEnded({ scheduleId: ID, endedAt: iso(2 * HOUR) })]);
  });

  describe('overlap, for task targets, while the previous occurrence’s task runs', () => {
    const running = (overlap: ScheduleSpec['overlap']) => [created(taskSpec(overlap)), ...firedHour(1, TASK_TARGET)];

    it('skip (the default): records the occurrence as skipped', () => {
      spec
        .given(running('skip'))
        .when(fireAt(2 * HOUR))
        .then([occurrenceSkipped({ scheduleId: ID, scheduledFor: iso(2 * HOUR), reason: 'overlap', skippedAt: iso(2 * HOUR) }), planned(3)]);
    });

    it('bufferOne: holds one back, and skips another while one is held', () => {
      const buffered = occurrenceBuffered({ scheduleId: ID, scheduledFor: iso(2 * HOUR), bufferedAt: iso(2 * HOUR) });
      spec
        .given(running('bufferOne'))
        .when(fireAt(2 * HOUR))
        .then([buffered, planned(3)]);
      spec
        .given([...running('bufferOne'), buffered, planned(3)])
        .when(fireAt(3 * HOUR))
        .then([occurrenceSkipped({ scheduleId: ID, scheduledFor: iso(3 * HOUR), reason: 'overlap', skippedAt: iso(3 * HOUR) }), planned(4)]);
    });

    it('allow: fires anyway', () => {
      spec
        .given(running('allow'))
        .when(fireAt(2 * HOUR))
        .then([fired(2, 2 * HOUR, false, TASK_TARGET), planned(3)]);
    });

    it('fires as usual once the previous task has finished', () => {
      spec
        .given([...running('skip'), runFinished({ scheduleId: ID, scheduledFor: iso(HOUR), finishedAt: iso(HOUR + 60_000) })])
        .when(fireAt(2 * HOUR))
        .then([fired(2, 2 * HOUR, false, TASK_TARGET), planned(3)]);
    });

    it('does not apply to reminder targets', () => {
      spec
        .given([created(), ...firedHour(1)])
        .when(fireAt(2 * HOUR))
        .then([fired(2, 2 * HOUR), planned(3)]);
    });
  });
});

describe('TriggerSchedule', () => {
  it('fires one extra run now, outside the cron, also while paused', () => {
    const now = 20 * 60_000;
    const manual = occurrenceFired({ scheduleId: ID, scheduledFor: iso(now), firedAt: iso(now), manual: true, target: TARGET });
    spec
      .given([created()])
      .when({ type: 'TriggerSchedule', scheduleId: ID, now: at(now) })
      .then([manual]);
    spec
      .given([created(), schedulePaused({ scheduleId: ID, note: null, pausedAt: iso(15 * 60_000) })])
      .when({ type: 'TriggerSchedule', scheduleId: ID, now: at(now) })
      .then([manual]);
  });

  it('honours the overlap policy, and refuses an ended schedule', () => {
    spec
      .given([created(taskSpec('skip')), ...firedHour(1, TASK_TARGET)])
      .when({ type: 'TriggerSchedule', scheduleId: ID, now: at(HOUR + 5) })
      .then([occurrenceSkipped({ scheduleId: ID, scheduledFor: iso(HOUR + 5), reason: 'overlap', skippedAt: iso(HOUR + 5) })]);
    spec
      .given([created(), scheduleDeleted({ scheduleId: ID, deletedAt: iso(HOUR) })])
      .when({ type: 'TriggerSchedule', scheduleId: ID, now: at(2 * HOUR) })
      .thenThrows({ kind: 'conflict', message: /cannot be triggered/ });
  });
});

describe('RecordRunFinished', () => {
  const finished = runFinished({ scheduleId: ID, scheduledFor: iso(HOUR), finishedAt: iso(HOUR + 60_000) });
  const finish = { type: 'RecordRunFinished' as const, scheduleId: ID, scheduledFor: iso(HOUR), now: at(HOUR + 60_000) };

  it('frees the slot, and fires a buffered occurrence now', () => {
    spec
      .given([created(taskSpec('skip')), ...firedHour(1, TASK_TARGET)])
      .when(finish)
      .then([finished]);
    spec
      .given([
        created(taskSpec('bufferOne')),
        ...firedHour(1),
        occurrenceBuffered({ scheduleId: ID, scheduledFor: iso(2 * HOUR), bufferedAt: iso(2 * HOUR) }),
      ])
      .when({ ...finish, now: at(2 * HOUR + 60_000) })
      .then([
        runFinished({ scheduleId: ID, scheduledFor: iso(HOUR), finishedAt: iso(2 * HOUR + 60_000) }),
        occurrenceFired({ scheduleId: ID, scheduledFor: iso(2 * HOUR), firedAt: iso(2 * HOUR + 60_000), manual: false, target: TASK_TARGET }),
      ]);
  });

  it('decides nothing for a run it is not waiting for (a repeat, or a reminder target)', () => {
    spec
      .given([created(taskSpec('skip')), ...firedHour(1, TASK_TARGET), finished])
      .when(finish)
      .then([]);
    spec
      .given([created(), ...firedHour(1)])
      .when(finish)
      .then([]);
  });
});
