import { RecordedEvent } from '@herald/event-store';
import {
  ReminderEvent,
  reminderCancelled,
  reminderCompleted,
  reminderFailed,
  reminderRescheduled,
  reminderRetriggered,
  reminderStream,
} from '../domain';
import { HISTORY, ID, attemptFailed, defined, iso } from '../domain/commands/fixtures.unit-helpers';
import { TimeIndex } from '@herald/scheduling';
import { CALLBACKS_TOPIC, callbackChange, pendingCallback, reminderCallbacksProjection } from './reminder-callbacks.projection';

const put = (sequence: number, atMs: number) => ({ put: { topic: CALLBACKS_TOPIC, key: ID, sequence, dueAt: Date.parse(iso(atMs)) } });
const remove = { remove: { topic: CALLBACKS_TOPIC, key: ID } };
const rescheduled = (dueAtMs: number, previousMs: number) =>
  reminderRescheduled({ reminderId: ID, dueAt: iso(dueAtMs), previousDueAt: iso(previousMs), rescheduledAt: iso(1_000) });
const retriggered = (dueAtMs: number) => reminderRetriggered({ reminderId: ID, dueAt: iso(dueAtMs), retriggeredAt: iso(dueAtMs) });
/** Events as the log hands them to the projection: revisions in stream order. */
const recorded = (events: ReminderEvent[]): RecordedEvent[] =>
  events.map((e, revision) => ({
    ...e,
    id: `00000000-0000-4000-8000-${String(revision).padStart(12, '0')}`,
    stream: reminderStream(ID),
    revision,
    position: String(revision),
    metadata: {},
    recordedAt: new Date(0),
  }));

describe('reminder timers: what each reminder event does to its callbacks entry', () => {
  it('plans attempt 1 at dueAt when defined, and each retry at its time; sequence = revision + 1 = the attempt', () => {
    // What earlier versions put (sequence = attempt): their entries keep their rank.
    expect(callbackChange(defined(), 0)).toEqual(put(1, 30_000));
    expect(callbackChange(attemptFailed(1, 30_010, 31_000), 1)).toEqual(put(2, 31_000));
    expect(callbackChange(attemptFailed(3, 33_010, null), 3)).toBeUndefined();
  });

  it.each([
    ['completed', reminderCompleted({ reminderId: ID, attempt: 1, statusCode: 204, completedAt: iso(30_001) })],
    ['failed', reminderFailed({ reminderId: ID, attempts: 3, lastError: 'HTTP 500', failedAt: iso(33_010) })],
    ['cancelled', reminderCancelled({ reminderId: ID, cancelledAt: iso(1_000) })],
  ])('drops the entry once %s', (_status, event) => {
    expect(callbackChange(event, 4)).toEqual(remove);
  });

  it('moves the entry to the new time on a reschedule, later or earlier, under a newer sequence', () => {
    expect(callbackChange(rescheduled(90_000, 30_000), 1)).toEqual(put(2, 90_000));
    expect(callbackChange(rescheduled(5_000, 30_000), 1)).toEqual(put(2, 5_000));
  });

  it('plans the retriggered run at its dueAt, under a sequence above every earlier one', () => {
    expect(callbackChange(retriggered(90_000), 5)).toEqual(put(6, 90_000));
  });

  describe('pendingCallback: the entry the index holds after a stream, which the worker compares deliveries with', () => {
    it('is the latest plan: a rescheduled reminder waits only for the new time', () => {
      const before = pendingCallback(recorded([defined()]));
      const after = pendingCallback(recorded([defined(), rescheduled(90_000, 30_000)]));
      expect(before).toEqual(put(1, 30_000).put);
      expect(after).toEqual(put(2, 90_000).put);
      expect(after!.sequence).toBeGreaterThan(before!.sequence);
    });

    it("follows a reschedule of a pending retry, and the retry's own plan after that", () => {
      const history = [defined(), attemptFailed(1, 30_010, 31_000), rescheduled(60_000, 31_000)];
      expect(pendingCallback(recorded(history))).toEqual(put(3, 60_000).put);
      expect(pendingCallback(recorded([...history, attemptFailed(2, 60_010, 62_000)]))).toEqual(put(4, 62_000).put);
    });

    it('is none once the reminder finished, and the new run after a retrigger', () => {
      expect(pendingCallback(recorded(HISTORY.Failed))).toBeNull();
      expect(pendingCallback(recorded([...HISTORY.Failed, retriggered(90_000)]))).toEqual(put(6, 90_000).put);
    });
  });
});

describe('reminder callbacks projection', () => {
  it('lets events gather like a read model: callbacks are planned ahead, and under load it mostly drops finished entries', () => {
    expect(reminderCallbacksProjection({} as TimeIndex).gathers).toBe('timers');
  });
});
