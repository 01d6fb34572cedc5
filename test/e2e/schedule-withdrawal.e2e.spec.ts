import { eventually } from '@herald/testing';
import { CallbackReceiver } from '../support/receiver';
import { RawWorker } from '../support/raw-worker';
import { RunningHerald, call, removeDataDir, startHerald } from '../support/herald';
import { ScheduleClient } from '../support/schedules';

/** Occurrences are decided this long before their time: wide enough to pause or delete inside it every time. */
const LEAD_MS = 4_000;
/** The action is taken only while the occurrence decided ahead is at least this far off, so it always lands before it. */
const MARGIN_MS = 2_000;
/** How long after the occurrence the test keeps watching that nothing ran. */
const WATCH_AFTER_MS = 1_500;
const EVERY_MS = 5_000;
const CRON = '*/5 * * * * *';

/** The first occurrence far enough off to be decided LEAD_MS ahead with time to spare: nothing of the schedule before it. */
const startAt = () => new Date(Math.ceil((Date.now() + LEAD_MS + MARGIN_MS + 1_000) / EVERY_MS) * EVERY_MS).toISOString();

type Run = Record<string, any>;

/**
 * A pause or DELETE inside SCHEDULE_LEAD_MS withdraws the occurrence already
 * decided ahead of its time: its run becomes `withdrawn`, its reminder or
 * task is cancelled, and nothing is delivered for it.
 */
describe('schedules: a pause or delete withdraws the occurrence decided ahead (all-in-one, SCHEDULE_LEAD_MS 4 s)', () => {
  let herald: RunningHerald;
  let receiver: CallbackReceiver;
  let client: ScheduleClient;

  beforeAll(async () => {
    receiver = await new CallbackReceiver().start();
    herald = await startHerald({ SCHEDULE_LEAD_MS: String(LEAD_MS) });
    client = new ScheduleClient({ command: herald.url, query: herald.url });
  });
  afterAll(async () => {
    await herald.close();
    await receiver.stop();
    removeDataDir(herald.dataDir);
  });

  /** A fired run whose occurrence is still at least MARGIN_MS away (one seen too late, on a slow machine, is passed over). */
  const firedAhead = async (id: string): Promise<Run> => {
    const items = await eventually(
      () => client.runs(id),
      (runs) => runs.some((r) => r.outcome === 'fired' && Date.parse(r.scheduledFor) - Date.now() >= MARGIN_MS),
      { what: `a run fired at least ${MARGIN_MS} ms ahead of its occurrence`, timeoutMs: 20_000 },
    );
    return items.find((r) => r.outcome === 'fired' && Date.parse(r.scheduledFor) - Date.now() >= MARGIN_MS)!;
  };

  const runOf = async (id: string, scheduledFor: string) => (await client.runs(id)).find((r) => r.scheduledFor === scheduledFor);

  /** The run turns `withdrawn`, naming what it had created; the view no longer counts it; the stream says why. */
  const expectWithdrawn = async (id: string, run: Run, reason: 'paused' | 'deleted', event: string) => {
    const withdrawn = await eventually(
      () => runOf(id, run.scheduledFor),
      (r) => r?.outcome === 'withdrawn',
      { what: 'the run withdrawn' },
    );
    expect(withdrawn).toEqual({ ...run, outcome: 'withdrawn' });
    const events = await client.events(id);
    const types = events.map((e) => e.type);
    expect(types.slice(-2)).toEqual([event, 'OccurrenceWithdrawn']);
    expect(events[events.length - 1].data).toMatchObject({ scheduledFor: run.scheduledFor, reason });
    const fired = (await client.runs(id)).filter((r) => r.outcome === 'fired').length;
    await eventually(
      () => client.view(id),
      (v) => v.runs === fired,
      { what: `the view counting the ${fired} fired runs only` },
    );
  };

  /** Polls `probe` until the occurrence is WATCH_AFTER_MS past, then answers its last value (what the target ended as). */
  const watchPast = <T>(run: Run, probe: () => Promise<T>, what: string): Promise<T> =>
    eventually(
      async () => ({ now: Date.now(), value: await probe() }),
      (seen) => seen.now >= Date.parse(run.scheduledFor) + WATCH_AFTER_MS,
      { what, timeoutMs: LEAD_MS + WATCH_AFTER_MS + 5_000, intervalMs: 100 },
    ).then((seen) => seen.value);

  const expectReminderWithdrawn = async (run: Run, path: string) => {
    const reminder = () => call(`${herald.url}/api/v1/reminders/${run.reminderId}`);
    await eventually(reminder, (r) => r.body?.status === 'Cancelled', { what: 'the reminder cancelled' });
    const last = await watchPast(run, reminder, `${WATCH_AFTER_MS} ms past the withdrawn occurrence`);
    expect(last.body.status).toBe('Cancelled');
    expect(receiver.for(run.reminderId)).toEqual([]);
    // Nor anything else on this schedule's address from the occurrence on.
    expect(receiver.received.filter((c) => c.path === path && c.at >= Date.parse(run.scheduledFor))).toEqual([]);
  };

  it('pause: the run decided ahead becomes withdrawn, its reminder ends Cancelled, and no callback comes for it', async () => {
    const path = '/withdrawn-on-pause';
    const s = await client.create({ cron: CRON, startAt: startAt(), target: { reminder: { address: `${receiver.url}${path}` } } });
    expect(s.status).toBe(201);
    const run = await firedAhead(s.body.id);
    expect(run.reminderId).toEqual(expect.any(String));

    const p = await client.act(s.body.id, 'pause');
    expect(p.status).toBe(200);
    expect(Date.now()).toBeLessThan(Date.parse(run.scheduledFor)); // the pause was recorded before the occurrence
    await expectWithdrawn(s.body.id, run, 'paused', 'SchedulePaused');
    await expectReminderWithdrawn(run, path);

    // That a resume does not plan the withdrawn occurrence again is the domain's (withdraw-ahead.unit.spec.ts).
  }, 40_000);

  it('DELETE: the run decided ahead becomes withdrawn, its reminder ends Cancelled, and no callback comes for it', async () => {
    const path = '/withdrawn-on-delete';
    const s = await client.create({ cron: CRON, startAt: startAt(), target: { reminder: { address: `${receiver.url}${path}` } } });
    const run = await firedAhead(s.body.id);

    const d = await call(`${herald.url}/api/v1/schedules/${s.body.id}`, { method: 'DELETE' });
    expect(d.status).toBe(200);
    expect(Date.now()).toBeLessThan(Date.parse(run.scheduledFor));
    await expectWithdrawn(s.body.id, run, 'deleted', 'ScheduleDeleted');
    await expectReminderWithdrawn(run, path);
  }, 40_000);

  it('DELETE with a task target: the task decided ahead ends Cancelled and is never leased', async () => {
    const type = 'e2e.withdrawn-task';
    const s = await client.create({ cron: CRON, startAt: startAt(), target: { task: { type } } });
    const run = await firedAhead(s.body.id);
    expect(run.taskId).toEqual(expect.any(String));

    const d = await call(`${herald.url}/api/v1/schedules/${s.body.id}`, { method: 'DELETE' });
    expect(d.status).toBe(200);
    expect(Date.now()).toBeLessThan(Date.parse(run.scheduledFor));
    await expectWithdrawn(s.body.id, run, 'deleted', 'ScheduleDeleted');
    const task = () => call(`${herald.url}/api/v1/tasks/${run.taskId}`);
    await eventually(task, (t) => t.body?.status === 'Cancelled', { what: 'the task cancelled' });
    const last = await watchPast(run, task, `${WATCH_AFTER_MS} ms past the withdrawn occurrence`);
    expect(last.body.status).toBe('Cancelled');
    expect(await new RawWorker(herald.url, 'withdrawal-worker').lease([type], { waitMs: 0 })).toEqual([]);
  }, 40_000);
});
