import { occurrenceTargetId } from '@herald/schedules';
import { eventually } from '@herald/testing';
import { explainingFailure } from '../support/full-stack';
import { removeDataDir, tempDataDir } from '../support/herald';
import { HeraldProcess, freePort } from '../support/herald-process';
import { CallbackReceiver } from '../support/receiver';
import { ScheduleClient } from '../support/schedules';

const EVERY_MS = 2_000;
const BEFORE_KILL = 5;
const AFTER_KILL = 3;

/**
 * The embedded default has no scheduler service of its own (apps/scheduler
 * refuses to start without RABBITMQ_URL), so its replicas are all-in-one
 * processes sharing one DATA_DIR: one event log, one time index. Their timers
 * are in-process, so entries a replica handed to its own timers die with it;
 * the survivor takes them back once the hand-off is stale. At the default
 * SCHEDULER_STALE_HANDOFF_MS (10 min) the schedule would stand still that long,
 * so the replicas here run at its minimum (5 s), with a horizon below it (a
 * live replica's entries are never taken back while it still holds them) and
 * a periodic hand-off every second (a quarter of the horizon).
 */
const REPLICA_ENV = {
  SCHEDULER_STALE_HANDOFF_MS: '5000',
  SCHEDULER_HORIZON_MS: '4000',
  SQLITE_POLL_INTERVAL_MS: '20',
  // Each decision is logged at info: that is how the test finds the replica holding the schedule's timer.
  LOG_LEVEL: 'info',
};

/** When `replica` last decided an occurrence of `scheduleId` (its log's time), or -1 if it never did. */
function lastDecision(replica: HeraldProcess, scheduleId: string): number {
  const decisions = replica.output
    .join('')
    .split('\n')
    .filter((line) => line.includes('"schedule occurrences decided"') && line.includes(scheduleId))
    .map((line) => (JSON.parse(line) as { time: number }).time);
  return Math.max(-1, ...decisions);
}

const clientOf = (replica: HeraldProcess) => new ScheduleClient({ command: replica.url, query: replica.url });

const firedOccurrences = async (client: ScheduleClient, id: string) =>
  (await client.events(id)).filter((e) => e.type === 'OccurrenceFired').map((e) => e.data.scheduledFor as string);

describe('two all-in-one replicas on one DATA_DIR (embedded SQLite, in-process timers)', () => {
  let receiver: CallbackReceiver;
  let dataDir: string;
  let replicas: HeraldProcess[] = [];

  beforeAll(async () => {
    receiver = await new CallbackReceiver().start();
    dataDir = tempDataDir();
    for (let i = 0; i < 2; i++) replicas.push(new HeraldProcess('all-in-one', { ...REPLICA_ENV, DATA_DIR: dataDir, PORT: String(await freePort()) }));
    await replicas[0].start(); // creates the schema before the other opens the files
    await replicas[1].start();
  });
  afterAll(async () => {
    await Promise.all(replicas.map((p) => p.stop()));
    replicas = [];
    await receiver.stop();
    removeDataDir(dataDir);
  });

  it('creates each occurrence of a six-field every-2-seconds schedule once, and the survivor carries on without a gap after a kill -9 of the replica holding its timer', async () => {
    const created = await clientOf(replicas[0]).create({
      cron: '*/2 * * * * *',
      // The occurrences that come while the survivor waits for the dead replica's hand-off to go stale are overdue when it
      // decides them: `all` fires each of them (late), so the record has no gap; `latest` would fire one and miss the others.
      catchup: 'all',
      target: { reminder: { address: `${receiver.url}/replica-tick` } },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;

    await explainingFailure({ all: replicas }, async () => {
      const before = await eventually(
        () => firedOccurrences(clientOf(replicas[1]), id),
        (f) => f.length >= BEFORE_KILL,
        { what: `${BEFORE_KILL} occurrences fired`, timeoutMs: EVERY_MS * BEFORE_KILL + 10_000, intervalMs: 100 },
      );
      // The replica that decided the latest occurrence has most likely claimed the next one too (its own append wakes its
      // own timers first, the other's a moment later): killing it makes the survivor take the schedule's timer over.
      const [holder, survivor] = lastDecision(replicas[0], id) > lastDecision(replicas[1], id) ? replicas : [replicas[1], replicas[0]];
      expect(lastDecision(holder, id)).toBeGreaterThan(0);
      // Killed between an even second's callback and the next decision (taken half a second into the odd second):
      // a callback POSTed but not yet recorded would be POSTed again by the survivor, the one repeat at-least-once allows.
      await eventually(
        () => Date.now() % EVERY_MS,
        (phase) => phase >= 1_100 && phase <= 1_300,
        { what: 'a moment between callbacks and decisions', timeoutMs: EVERY_MS * 2, intervalMs: 5 },
      );
      await holder.kill();
      const killedAt = Date.now();
      const client = clientOf(survivor);
      const firedBeforeKill = (await firedOccurrences(client, id)).length;
      expect(firedBeforeKill).toBeGreaterThanOrEqual(before.length);
      await eventually(
        () => firedOccurrences(client, id),
        (f) => f.length >= firedBeforeKill + AFTER_KILL,
        { what: `${AFTER_KILL} more occurrences fired by the survivor`, timeoutMs: 30_000, intervalMs: 100 },
      );
      expect(lastDecision(survivor, id)).toBeGreaterThan(killedAt);
      // Paused a second before the next even second, when its occurrence has been decided (half a second after the
      // odd one) and its reminder waits: the withdrawal's cancel comes long before that reminder's time, never a near miss.
      await eventually(
        () => Date.now() % EVERY_MS,
        (phase) => phase >= 900 && phase <= 1_100,
        { what: 'a second before the next occurrence', timeoutMs: EVERY_MS * 2, intervalMs: 5 },
      );
      expect((await client.act(id, 'pause')).status).toBe(200);

      // Everything decided before the pause is in the log now, including an occurrence decided ahead of its time.
      const events = await client.events(id);
      const fired = events.filter((e) => e.type === 'OccurrenceFired').map((e) => e.data.scheduledFor as string);
      expect(fired.length).toBeGreaterThanOrEqual(firedBeforeKill + AFTER_KILL);
      expect(new Set(fired).size).toBe(fired.length);
      // Consecutive even seconds from the first to the last: none missed, none skipped, none twice.
      const instants = fired.map((f) => Date.parse(f)).sort((a, b) => a - b);
      expect(instants.every((t) => t % EVERY_MS === 0)).toBe(true);
      expect(instants.slice(1).map((t, i) => t - instants[i])).toEqual(instants.slice(1).map(() => EVERY_MS));
      expect(events.filter((e) => e.type === 'OccurrencesMissed' || e.type === 'OccurrenceSkipped')).toEqual([]);

      // The pause withdrew what was decided ahead of its time.
      const withdrawn = new Set(events.filter((e) => e.type === 'OccurrenceWithdrawn').map((e) => e.data.scheduledFor as string));
      const outcomeOf = (scheduledFor: string) => (withdrawn.has(scheduledFor) ? 'withdrawn' : 'fired');

      // The runs read model: each occurrence once, fired (or withdrawn by the pause), under its derived reminder id.
      const runs = await eventually(
        () => client.runs(id),
        (items) => items.length >= fired.length && items.every((r) => r.outcome === outcomeOf(r.scheduledFor)),
        { what: 'every fired occurrence among the runs, the withdrawn ones as such' },
      );
      expect(runs.map((r) => r.scheduledFor).sort()).toEqual([...fired].sort());
      for (const run of runs)
        expect(run).toMatchObject({ outcome: outcomeOf(run.scheduledFor), reminderId: occurrenceTargetId(id, run.scheduledFor) });

      // The receiver: each occurrence's reminder called back exactly once, and nothing else (nothing withdrawn).
      const reminderIds = fired.filter((f) => !withdrawn.has(f)).map((f) => occurrenceTargetId(id, f));
      const ticks = () => receiver.received.filter((c) => c.path === '/replica-tick');
      await eventually(
        () => reminderIds.filter((r) => receiver.for(r).length === 0),
        (waiting) => waiting.length === 0,
        { what: 'a callback for every fired occurrence', timeoutMs: 20_000, intervalMs: 100 },
      );
      for (const reminderId of reminderIds) expect(receiver.for(reminderId)).toHaveLength(1);
      expect(
        ticks()
          .map((c) => c.body.reminderId)
          .sort(),
      ).toEqual([...reminderIds].sort());
    });
  }, 120_000);
});
