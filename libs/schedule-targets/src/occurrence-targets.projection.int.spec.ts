import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordedEvent, SqliteEventStore } from '@herald/event-store';
import { Clock } from '@herald/kernel';
import { loadConfig, openSqlite } from '@herald/platform';
import { reminderStream } from '@herald/reminders';
import { CommandRunner } from '@herald/runtime';
import { CATCHUP_DEFAULTS, SCHEDULE, ScheduleTarget, occurrenceTargetId, scheduleStream } from '@herald/schedules';
import { taskStream } from '@herald/tasks';
import { occurrenceTargetsProjection } from './occurrence-targets.projection';

/** Half a second before an even second: a `*\/2` schedule decides the next occurrence (1.5 s ahead) now. */
const NOW = new Date('2027-03-01T09:00:00.500Z');
const clock: Clock = { now: () => NOW };
const config = loadConfig({});
const GRACE_MS = 2_000;
const LEAD_MS = 1_500;

/** A scheduler replica as far as this projection goes: its own connection to the shared SQLite file, its own CommandRunner. */
function replica(file: string) {
  const db = openSqlite(file);
  const store = new SqliteEventStore(db, clock);
  const commands = new CommandRunner(store, null, clock);
  return {
    store,
    commands,
    /** What was created for a schedule anywhere in the log: the events outside its own stream that name it. */
    createdFor: (scheduleId: string) =>
      db
        .prepare(`SELECT stream, type FROM events WHERE stream NOT LIKE 'schedule-%' AND json_extract(data, '$.scheduleId') = ? ORDER BY position`)
        .all(scheduleId) as { stream: string; type: string }[],
    projection: occurrenceTargetsProjection(commands, clock, config),
    close: async () => {
      await store.close();
      db.close();
    },
  };
}

type Replica = ReturnType<typeof replica>;

describe('occurrenceTargetsProjection (real CommandRunner, two replicas on one SQLite file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-occurrence-targets-'));
  const a = replica(join(dir, 'herald.sqlite'));
  const b = replica(join(dir, 'herald.sqlite'));
  afterAll(async () => {
    await a.close();
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const fire = (scheduleId: string, now: Date) =>
    a.commands.run(SCHEDULE, scheduleId, { type: 'FireDueOccurrences', scheduleId, now, graceMs: GRACE_MS, leadMs: LEAD_MS });

  /** A schedule whose first occurrence fired through the real decider: its stream as recorded, as the projection reads it. */
  async function firedSchedule(target: ScheduleTarget) {
    const scheduleId = randomUUID();
    const spec = { cron: '*/2 * * * * *', timeZone: 'UTC', target, overlap: 'skip' as const, catchup: CATCHUP_DEFAULTS, startAt: null, endAt: null };
    await a.commands.run(SCHEDULE, scheduleId, { type: 'CreateSchedule', scheduleId, spec, owner: null, paused: false, now: NOW });
    await fire(scheduleId, NOW);
    const recorded = await a.store.readStream(scheduleStream(scheduleId));
    const fired = recorded.filter((e) => e.type === 'OccurrenceFired');
    expect(fired).toHaveLength(1);
    const { scheduledFor } = fired[0].data as { scheduledFor: string };
    expect(scheduledFor).toBe('2027-03-01T09:00:02.000Z');
    return { scheduleId, scheduledFor, targetId: occurrenceTargetId(scheduleId, scheduledFor), recorded };
  }

  const handleAll = (replicas: Replica[], events: RecordedEvent[]) => Promise.all(replicas.map((r) => r.projection.handle(events)));

  describe.each([
    {
      kind: 'reminder',
      target: { reminder: { address: 'http://127.0.0.1:9/hook', payload: { n: 1 } } },
      streamOf: reminderStream,
      created: (targetId: string, scheduleId: string, scheduledFor: string) => ({
        type: 'ReminderDefined',
        data: expect.objectContaining({ reminderId: targetId, scheduleId, scheduledFor, dueAt: scheduledFor, address: 'http://127.0.0.1:9/hook' }),
      }),
    },
    {
      kind: 'task',
      target: { task: { type: 'sync.accounts', params: { full: true } } },
      streamOf: taskStream,
      created: (targetId: string, scheduleId: string, scheduledFor: string) => ({
        type: 'TaskEnqueued',
        data: expect.objectContaining({ taskId: targetId, scheduleId, scheduledFor, runAt: scheduledFor, type: 'sync.accounts' }),
      }),
    },
  ])('a $kind target', ({ target, streamOf, created }) => {
    /** One stream, one creating event, nothing else for the schedule anywhere; and the schedule's own stream left as it was. */
    async function expectCreatedOnce(scheduleId: string, scheduledFor: string, targetId: string, recorded: RecordedEvent[]) {
      expect(await b.store.readStream(streamOf(targetId))).toEqual([expect.objectContaining(created(targetId, scheduleId, scheduledFor))]);
      expect(a.createdFor(scheduleId)).toEqual([{ stream: streamOf(targetId), type: created(targetId, scheduleId, scheduledFor).type }]);
      // A repeat is not a refusal: a task target's overlap slot stays taken until the task finishes.
      expect(await a.store.readStream(scheduleStream(scheduleId))).toHaveLength(recorded.length);
    }

    it('is created once under the derived id, however often its OccurrenceFired is replayed', async () => {
      const { scheduleId, scheduledFor, targetId, recorded } = await firedSchedule(target);
      await a.projection.handle(recorded);
      await a.projection.handle(recorded); // a replay from an older checkpoint
      await b.projection.handle(recorded); // another replica catching up later
      await expectCreatedOnce(scheduleId, scheduledFor, targetId, recorded);
    });

    it('is created once when two replicas handle the same OccurrenceFired at the same time', async () => {
      const { scheduleId, scheduledFor, targetId, recorded } = await firedSchedule(target);
      await handleAll([a, b, a, b], recorded);
      await expectCreatedOnce(scheduleId, scheduledFor, targetId, recorded);
    });
  });

  it('resolves on a task target its rules refuse, creates nothing, and frees the overlap slot once', async () => {
    // Accepted when the schedule was created (the rules checked there changed since, say): refused by the task decider now.
    const { scheduleId, scheduledFor, targetId, recorded } = await firedSchedule({ task: { type: 'no longer allowed!' } });
    expect((await a.commands.load(SCHEDULE, scheduleId)).state?.running).toEqual([scheduledFor]);

    await expect(handleAll([a, b], recorded)).resolves.toEqual([undefined, undefined]);
    await expect(a.projection.handle(recorded)).resolves.toBeUndefined(); // a replay

    expect(await a.store.readStream(taskStream(targetId))).toEqual([]);
    const finished = (await a.store.readStream(scheduleStream(scheduleId))).filter((e) => e.type === 'RunFinished');
    expect(finished.map((e) => e.data)).toEqual([expect.objectContaining({ scheduleId, scheduledFor })]);
    expect((await a.commands.load(SCHEDULE, scheduleId)).state?.running).toEqual([]);
    // With the slot free, the next occurrence fires rather than being skipped under `overlap: skip`.
    const next = await fire(scheduleId, new Date(NOW.getTime() + 2_000));
    expect(next.events.map((e) => e.type)).toEqual(['OccurrenceFired', 'NextRunPlanned']);
  });
});
