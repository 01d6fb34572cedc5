import { RecordedEvent } from '@herald/event-store';
import { openSqlite } from '@herald/platform';
import { SqliteTimeIndex } from '@herald/scheduling';
import { ReminderEvent, reminderRescheduled, reminderStream } from '../domain';
import { ID, defined, iso } from '../domain/commands/fixtures.unit-helpers';
import { reminderCallbacksProjection } from './reminder-callbacks.projection';

/** The projection over a real time index: what a reschedule does to an entry the scheduler already handed to the transport. */
describe('reminder timers projection on the SQLite time index', () => {
  let index: SqliteTimeIndex;
  let revision: number;
  const append = (event: ReminderEvent): RecordedEvent => {
    revision++;
    return {
      ...event,
      id: `00000000-0000-4000-8000-${String(revision).padStart(12, '0')}`,
      stream: reminderStream(ID),
      revision,
      position: String(revision),
      metadata: {},
      recordedAt: new Date(0),
    };
  };
  const rescheduled = (dueAtMs: number, previousMs: number) =>
    reminderRescheduled({ reminderId: ID, dueAt: iso(dueAtMs), previousDueAt: iso(previousMs), rescheduledAt: iso(1_000) });
  const claim = (untilMs: number) =>
    index.claimDue({ now: Date.parse(iso(0)), until: Date.parse(iso(untilMs)), limit: 10, claimTtlMs: 60_000, staleAfterMs: 3_600_000 });

  beforeEach(async () => {
    index = new SqliteTimeIndex(openSqlite(':memory:'));
    revision = -1;
    const projection = reminderCallbacksProjection(index);
    await projection.handle([append(defined())]); // due at +30 s
    const handedOff = await claim(30_000);
    expect(handedOff.map((e) => e.dueAt)).toEqual([Date.parse(iso(30_000))]);
    await index.markHandedOff(handedOff, Date.parse(iso(0)));
    expect(await claim(30_000)).toEqual([]); // with the transport now
  });

  it('moves a handed-off entry later: nothing claimable at the old time, claimable again at the new one', async () => {
    await reminderCallbacksProjection(index).handle([append(rescheduled(90_000, 30_000))]);
    expect(await claim(30_000)).toEqual([]);
    expect(await claim(90_000)).toEqual([{ topic: 'callbacks', key: ID, sequence: 2, dueAt: Date.parse(iso(90_000)) }]);
    expect(await index.size()).toBe(1);
  });

  it('moves a handed-off entry earlier, to be handed over again', async () => {
    await reminderCallbacksProjection(index).handle([append(rescheduled(5_000, 30_000))]);
    expect(await claim(5_000)).toEqual([{ topic: 'callbacks', key: ID, sequence: 2, dueAt: Date.parse(iso(5_000)) }]);
  });

  it('ignores the older plan when the log is replayed after the reschedule', async () => {
    const projection = reminderCallbacksProjection(index);
    const moved = append(rescheduled(90_000, 30_000));
    await projection.handle([moved]);
    await projection.handle([{ ...append(defined()), revision: 0 }]); // a replay of the definition
    expect(await claim(90_000)).toEqual([{ topic: 'callbacks', key: ID, sequence: 2, dueAt: Date.parse(iso(90_000)) }]);
  });
});
