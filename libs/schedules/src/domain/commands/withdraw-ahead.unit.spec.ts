import { fold } from '@herald/kernel';
import { deciderSpecification } from '@herald/testing';
import {
  ScheduleEvent,
  nextRunPlanned,
  occurrenceBuffered,
  occurrenceFired,
  occurrenceWithdrawn,
  scheduleDeleted,
  schedulePaused,
  scheduleResumed,
} from '../events/schedule-events';
import { scheduleDecider } from '../schedule-decider';
import { occurrenceTargetId } from '../values/occurrence-id';
import { HOUR, ID, TARGET, TASK_TARGET, at, created, iso, taskSpec } from './fixtures.unit-helpers';

const spec = deciderSpecification(scheduleDecider);
const LEAD = 1_500;

/** The occurrence at `ms` decided LEAD ms ahead of its time (SCHEDULE_LEAD_MS), and the next one planned. */
const firedAhead = (ms: number, target = TARGET, leadMs = LEAD): ScheduleEvent[] => [
  occurrenceFired({ scheduleId: ID, scheduledFor: iso(ms), firedAt: iso(ms - leadMs), manual: false, target }),
  nextRunPlanned({ scheduleId: ID, nextRunAt: iso(ms + HOUR) }),
];
const pauseAt = (ms: number) => ({ type: 'PauseSchedule' as const, scheduleId: ID, now: at(ms) });
const deleteAt = (ms: number) => ({ type: 'DeleteSchedule' as const, scheduleId: ID, now: at(ms) });
const paused = (ms: number) => schedulePaused({ scheduleId: ID, note: null, pausedAt: iso(ms) });
const deleted = (ms: number) => scheduleDeleted({ scheduleId: ID, deletedAt: iso(ms) });
const withdrawn = (
  ms: number,
  firedAtMs: number,
  withdrawnAtMs: number,
  reason: 'paused' | 'deleted',
  kind: 'reminderId' | 'taskId' = 'reminderId',
) =>
  occurrenceWithdrawn({
    scheduleId: ID,
    scheduledFor: iso(ms),
    reason,
    withdrawnAt: iso(withdrawnAtMs),
    firedAt: iso(firedAtMs),
    [kind]: occurrenceTargetId(ID, iso(ms)),
  });
const stateAfter = (events: ScheduleEvent[]) => fold(scheduleDecider, events)!;

describe('a pause or delete withdraws the occurrences decided ahead of their time', () => {
  it('pause before the occurrence decided ahead comes: paused, then that occurrence withdrawn (its reminder to cancel)', () => {
    spec
      .given([created(), ...firedAhead(HOUR)])
      .when(pauseAt(HOUR - 1_000))
      .then([paused(HOUR - 1_000), withdrawn(HOUR, HOUR - LEAD, HOUR - 1_000, 'paused')]);
  });

  it('pause once the occurrence is due: it ran, nothing is withdrawn', () => {
    spec
      .given([created(), ...firedAhead(HOUR)])
      .when(pauseAt(HOUR))
      .then([paused(HOUR)]);
    spec
      .given([created(), ...firedAhead(HOUR)])
      .when(pauseAt(HOUR + 10))
      .then([paused(HOUR + 10)]);
  });

  it('delete before it comes: deleted, then withdrawn; a task target names its task', () => {
    spec
      .given([created(), ...firedAhead(HOUR)])
      .when(deleteAt(HOUR - 200))
      .then([deleted(HOUR - 200), withdrawn(HOUR, HOUR - LEAD, HOUR - 200, 'deleted')]);
    spec
      .given([created(taskSpec('skip')), ...firedAhead(HOUR, TASK_TARGET)])
      .when(deleteAt(HOUR - 200))
      .then([deleted(HOUR - 200), withdrawn(HOUR, HOUR - LEAD, HOUR - 200, 'deleted', 'taskId')]);
  });

  it('withdraws each one still to come when occurrences come closer together than the lead', () => {
    // Every second, decided 1.5 s ahead: at 0.4 s before the first, the one after it is decided too.
    const second = [
      occurrenceFired({ scheduleId: ID, scheduledFor: iso(HOUR), firedAt: iso(HOUR - 1_500), manual: false, target: TARGET }),
      occurrenceFired({ scheduleId: ID, scheduledFor: iso(HOUR + 1_000), firedAt: iso(HOUR - 500), manual: false, target: TARGET }),
      nextRunPlanned({ scheduleId: ID, nextRunAt: iso(HOUR + 2_000) }),
    ];
    spec
      .given([created(), ...second])
      .when(pauseAt(HOUR - 400))
      .then([paused(HOUR - 400), withdrawn(HOUR, HOUR - 1_500, HOUR - 400, 'paused'), withdrawn(HOUR + 1_000, HOUR - 500, HOUR - 400, 'paused')]);
    spec
      .given([created(), ...second])
      .when(pauseAt(HOUR + 100))
      .then([paused(HOUR + 100), withdrawn(HOUR + 1_000, HOUR - 500, HOUR + 100, 'paused')]);
  });

  it('never withdraws a manual trigger, even one whose instant lies after its firing', () => {
    const manual = (scheduledForMs: number, firedAtMs: number) =>
      occurrenceFired({ scheduleId: ID, scheduledFor: iso(scheduledForMs), firedAt: iso(firedAtMs), manual: true, target: TARGET });
    spec
      .given([created(), ...firedAhead(HOUR), manual(HOUR - 1_200, HOUR - 1_200)])
      .when(pauseAt(HOUR - 1_000))
      .then([paused(HOUR - 1_000), withdrawn(HOUR, HOUR - LEAD, HOUR - 1_000, 'paused')]);
    spec
      .given([created(), manual(HOUR - 500, HOUR - 1_200)])
      .when(pauseAt(HOUR - 1_000))
      .then([paused(HOUR - 1_000)]);
  });

  it('a resume afterwards plans from the next occurrence after the withdrawn one, never the withdrawn one again', () => {
    spec
      .given([created(), ...firedAhead(HOUR), paused(HOUR - 1_000), withdrawn(HOUR, HOUR - LEAD, HOUR - 1_000, 'paused')])
      .when({ type: 'ResumeSchedule', scheduleId: ID, now: at(HOUR - 500) })
      .then([scheduleResumed({ scheduleId: ID, nextRunAt: iso(2 * HOUR), resumedAt: iso(HOUR - 500) })]);
  });

  it('a second pause or a delete after the pause withdraws nothing again', () => {
    const pausedWithdrawn = [...firedAhead(HOUR), paused(HOUR - 1_000), withdrawn(HOUR, HOUR - LEAD, HOUR - 1_000, 'paused')];
    spec
      .given([created(), ...pausedWithdrawn])
      .when(deleteAt(HOUR - 900))
      .then([deleted(HOUR - 900)]);
    spec
      .given([created(), ...pausedWithdrawn, scheduleResumed({ scheduleId: ID, nextRunAt: iso(2 * HOUR), resumedAt: iso(HOUR - 800) })])
      .when(pauseAt(HOUR - 700))
      .then([paused(HOUR - 700)]);
  });

  it('takes the withdrawn occurrence off the runs count and the overlap slot; its task finishing later decides nothing', () => {
    const events = [created(taskSpec('skip')), ...firedAhead(HOUR, TASK_TARGET)];
    expect(stateAfter(events)).toMatchObject({ runs: 1, running: [iso(HOUR)] });
    const after = [...events, paused(HOUR - 1_000), withdrawn(HOUR, HOUR - LEAD, HOUR - 1_000, 'paused', 'taskId')];
    expect(stateAfter(after)).toMatchObject({ runs: 0, running: [], firedAhead: [], lastDecidedFor: iso(HOUR), status: 'Paused' });
    spec
      .given(after)
      .when({ type: 'RecordRunFinished', scheduleId: ID, scheduledFor: iso(HOUR), now: at(HOUR - 900) })
      .then([]);
  });

  describe('overlap bufferOne', () => {
    // Decided more than an hour ahead, so the next hourly occurrence is buffered behind it before it comes.
    const longLead = 2 * HOUR;
    const buffered = (ms: number, atMs: number) => occurrenceBuffered({ scheduleId: ID, scheduledFor: iso(ms), bufferedAt: iso(atMs) });
    const bufferedWithdrawn = (ms: number, atMs: number, reason: 'paused' | 'deleted') =>
      occurrenceWithdrawn({ scheduleId: ID, scheduledFor: iso(ms), reason, withdrawnAt: iso(atMs) });

    it('withdraws the occurrence held back behind the withdrawn one too (it would never be released), naming nothing to cancel', () => {
      const given = [created(taskSpec('bufferOne')), ...firedAhead(HOUR, TASK_TARGET, longLead), buffered(2 * HOUR, HOUR - 1_000)];
      spec
        .given(given)
        .when(pauseAt(HOUR - 500))
        .then([
          paused(HOUR - 500),
          withdrawn(HOUR, HOUR - longLead, HOUR - 500, 'paused', 'taskId'),
          bufferedWithdrawn(2 * HOUR, HOUR - 500, 'paused'),
        ]);
      const after = [
        ...given,
        paused(HOUR - 500),
        withdrawn(HOUR, HOUR - longLead, HOUR - 500, 'paused', 'taskId'),
        bufferedWithdrawn(2 * HOUR, HOUR - 500, 'paused'),
      ];
      expect(stateAfter(after)).toMatchObject({ runs: 0, running: [], buffered: null });
    });

    it('a buffered occurrence already due waits for its running task through a pause (it is owed), but a delete drops it', () => {
      const running = [
        created(taskSpec('bufferOne')),
        occurrenceFired({ scheduleId: ID, scheduledFor: iso(HOUR), firedAt: iso(HOUR), manual: false, target: TASK_TARGET }),
        buffered(2 * HOUR, 2 * HOUR),
      ];
      spec
        .given(running)
        .when(pauseAt(2 * HOUR + 10))
        .then([paused(2 * HOUR + 10)]);
      spec
        .given(running)
        .when(deleteAt(2 * HOUR + 10))
        .then([deleted(2 * HOUR + 10), bufferedWithdrawn(2 * HOUR, 2 * HOUR + 10, 'deleted')]);
      expect(stateAfter([...running, deleted(2 * HOUR + 10), bufferedWithdrawn(2 * HOUR, 2 * HOUR + 10, 'deleted')])).toMatchObject({
        runs: 1,
        running: [iso(HOUR)],
        buffered: null,
      });
    });
  });
});
