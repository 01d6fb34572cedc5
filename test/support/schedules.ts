import { occurrenceTargetId } from '@herald/schedules';
import { eventually } from '@herald/testing';
import { call } from './herald';
import { RawWorker } from './raw-worker';
import { CallbackReceiver, ReceivedCallback } from './receiver';

/** Where commands go and where reads come from: the same URL on the all-in-one app, two services on the full stack. */
export interface HeraldUrls {
  command: string;
  query: string;
}

export interface StoredEvent {
  type: string;
  data: Record<string, any>;
  recordedAt: string;
}

/** The promise for a schedule's callbacks: lateness p99 at most this. */
export const LATENESS_P99_MS = 50;
/** Occurrences whose callbacks the lateness p99 is computed over. */
export const MEASURED_OCCURRENCES = 10;

/** The schedule API as the specs drive it: writes to the command side, reads from the query side. */
export class ScheduleClient {
  constructor(readonly urls: HeraldUrls) {}

  create(body: Record<string, unknown>) {
    return call(`${this.urls.command}/api/v1/schedules`, { method: 'POST', json: body });
  }

  act(id: string, action: string, body?: Record<string, unknown>) {
    return call(`${this.urls.command}/api/v1/schedules/${id}/${action}`, { method: 'POST', json: body ?? {} });
  }

  async view(id: string): Promise<Record<string, any>> {
    return (await call(`${this.urls.query}/api/v1/schedules/${id}`)).body;
  }

  async runs(id: string): Promise<Record<string, any>[]> {
    return (await call(`${this.urls.query}/api/v1/schedules/${id}/runs?limit=500`)).body.items;
  }

  async events(id: string): Promise<StoredEvent[]> {
    const r = await call(`${this.urls.query}/api/v1/schedules/${id}/events`);
    if (r.status !== 200) throw new Error(`events of ${id}: ${r.status}`);
    return r.body;
  }
}

/** Nearest-rank percentile: the smallest value at least p % of the values are at or under (of 10 values, p99 is the largest). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * Waits for the callbacks of MEASURED_OCCURRENCES occurrences after a
 * schedule's first. The first is left out, as the benchmark leaves it out:
 * it is decided while the schedule is being created, possibly less than
 * SCHEDULE_LEAD_MS before it, so its lateness measures creation, not firing.
 */
export async function callbacksToMeasure(received: () => ReceivedCallback[]): Promise<ReceivedCallback[]> {
  const got = await eventually(received, (c) => c.length > MEASURED_OCCURRENCES, {
    what: `${MEASURED_OCCURRENCES + 1} callbacks`,
    timeoutMs: 2_000 * MEASURED_OCCURRENCES + 10_000,
  });
  return got.slice(1, MEASURED_OCCURRENCES + 1);
}

/**
 * How late each callback of a schedule came after its occurrence, in order of
 * arrival: each is matched to its occurrence through the reminder id derived
 * from (schedule id, occurrence), and an unmatched one fails the test.
 */
export function occurrenceLateness(scheduleId: string, callbacks: readonly ReceivedCallback[], scheduledFor: readonly string[]): number[] {
  const byReminder = new Map(scheduledFor.map((at) => [occurrenceTargetId(scheduleId, at), at]));
  return callbacks.map((c) => {
    const at = byReminder.get(c.body.reminderId);
    expect(at).toBeDefined();
    return c.at - Date.parse(at!);
  });
}

/** Asserts the lateness p99 of a schedule's callbacks (never early, p99 ≤ LATENESS_P99_MS), printing the figures either way. */
export function expectOnTime(lateness: readonly number[], where: string): void {
  const p99 = percentile(lateness, 99);
  console.log(
    `schedule lateness ${where} over ${lateness.length} callbacks (ms): p50 ${percentile(lateness, 50)}, p99 ${p99}; ${lateness.join(', ')}`,
  );
  expect(Math.min(...lateness)).toBeGreaterThanOrEqual(0);
  expect(p99).toBeLessThanOrEqual(LATENESS_P99_MS);
}

/**
 * A task target with `overlap: skip` and a slow worker: while the worker holds
 * an occurrence's task, the following occurrences are recorded as skipped;
 * once it finishes, the next occurrence creates the next task.
 */
export async function expectOverlapSkipsWhileTaskRuns(client: ScheduleClient, type: string): Promise<void> {
  const { command, query } = client.urls;
  const s = await client.create({ cron: '*/2 * * * * *', overlap: 'skip', target: { task: { type, params: { full: false } } } });
  expect(s.status).toBe(201);
  expect(s.body.overlap).toBe('skip');
  const id = s.body.id as string;
  let paused = false;
  try {
    const worker = new RawWorker(command, 'sched-worker');
    const lease = await worker.leaseOne(type, 10_000);
    const first = await eventually(
      () => client.runs(id),
      (items) => items.some((i) => i.taskId === lease.taskId),
      { what: 'the run of the leased task' },
    );
    const firstAt = first.find((i) => i.taskId === lease.taskId)!.scheduledFor as string;
    expect(lease.taskId).toBe(occurrenceTargetId(id, firstAt));
    // The slow worker holds the task: the next occurrences are skipped, counted on the schedule, and create no task.
    const skipped = await eventually(
      () => client.runs(id),
      (items) => items.filter((i) => i.outcome === 'skipped').length >= 2,
      { what: 'two occurrences skipped while the task runs', timeoutMs: 15_000 },
    );
    for (const run of skipped.filter((i) => i.outcome === 'skipped')) {
      expect(run.taskId ?? null).toBeNull();
      expect(Date.parse(run.scheduledFor)).toBeGreaterThan(Date.parse(firstAt));
    }
    await eventually(
      () => client.view(id),
      (v) => v.skipped >= 2,
      { what: 'the view counting the skips' },
    );
    expect((await worker.lease([type], { waitMs: 0 })).map((l) => l.taskId)).toEqual([]);

    expect((await worker.report(lease.token, 'complete', {})).status).toBe(200);
    const next = await worker.leaseOne(type, 10_000);
    expect(next.taskId).not.toBe(lease.taskId);
    const task = await eventually(
      () => call(`${query}/api/v1/tasks/${next.taskId}`),
      (t) => t.status === 200,
      { what: 'the next task on the read side' },
    );
    expect(task.body).toMatchObject({ scheduleId: id, type, params: { full: false } });
    await eventually(
      async () => (await call(`${query}/api/v1/tasks?scheduleId=${id}`)).body.items.map((t: { id: string }) => t.id),
      (ids: string[]) => ids.includes(lease.taskId) && ids.includes(next.taskId),
      { what: 'both tasks listed by schedule' },
    );
    expect((await client.act(id, 'pause')).status).toBe(200);
    paused = true;
    expect((await worker.report(next.token, 'complete', {})).status).toBe(200);
  } finally {
    if (!paused) await client.act(id, 'pause'); // a failed run stops its schedule too
  }
}

export const CATCHUP_POLICIES = [{ catchup: 'skip' }, { catchup: 'latest' }, { catchup: 'all', catchupMax: 3 }] as const;

export interface CatchupTiming {
  /** The service's SCHEDULE_CATCHUP_GRACE_MS and SCHEDULE_LEAD_MS. */
  graceMs: number;
  leadMs: number;
}

/**
 * kill -9 for 10 s, then restart: one `*\/2` schedule per catch-up policy
 * (skip, latest, all with catchupMax 3); the first decision after the restart
 * fires exactly the occurrences the policy names and records the others as
 * missed, each fired one reaches the receiver once, and the next decision is
 * on time again.
 */
export async function expectCatchupAcrossOutage(
  client: ScheduleClient,
  receiver: CallbackReceiver,
  timing: CatchupTiming,
  outage: { kill: () => Promise<void>; restart: () => Promise<void> },
): Promise<void> {
  const EVERY_MS = 2_000;
  const ids: string[] = [];
  for (const [i, policy] of CATCHUP_POLICIES.entries()) {
    const r = await client.create({ cron: '*/2 * * * * *', target: { reminder: { address: `${receiver.url}/catchup-${i}` } }, ...policy });
    expect(r.status).toBe(201);
    ids.push(r.body.id);
  }
  // Each has fired at least once before the kill.
  await eventually(
    async () => Promise.all(ids.map(async (id) => (await client.events(id)).filter((e) => e.type === 'OccurrenceFired').length)),
    (counts) => counts.every((n) => n >= 1),
    { what: 'a first occurrence of each', timeoutMs: 15_000 },
  );
  await outage.kill();
  const killedAt = Date.now();
  // Down for 10 s: occurrences keep coming meanwhile (a wait on time is the point of this test).
  await eventually(
    () => Date.now(),
    (now) => now >= killedAt + 10_000,
    { what: '10 s down', timeoutMs: 15_000, intervalMs: 100 },
  );
  await outage.restart();

  for (const [i, id] of ids.entries()) {
    const policy: { catchup: string; catchupMax?: number } = CATCHUP_POLICIES[i];
    const all = await eventually(
      () => client.events(id),
      (es) => es.filter((e) => e.type === 'NextRunPlanned' && Date.parse(e.recordedAt) > killedAt).length >= 2,
      { what: `schedule ${policy.catchup}: the catch-up and one on-time decision after the restart`, timeoutMs: 20_000 },
    );
    const before = all.filter((e) => Date.parse(e.recordedAt) < killedAt);
    const after = all.filter((e) => Date.parse(e.recordedAt) > killedAt);
    const lastFiredBefore = Math.max(...before.filter((e) => e.type === 'OccurrenceFired').map((e) => Date.parse(e.data.scheduledFor)));
    // The first decision after the restart: everything up to its own NextRunPlanned.
    const decision = after.slice(0, after.findIndex((e) => e.type === 'NextRunPlanned') + 1);
    const decidedAt = Date.parse(decision.find((e) => e.type === 'OccurrenceFired')?.data.firedAt ?? decision[0].data.recordedAt);
    const came: number[] = [];
    // Decided up to leadMs ahead: those still to come are created due at their time.
    for (let t = lastFiredBefore + EVERY_MS; t <= decidedAt + timing.leadMs; t += EVERY_MS) came.push(t);
    const overdue = came.filter((t) => decidedAt - t > timing.graceMs);
    const onTime = came.filter((t) => decidedAt - t <= timing.graceMs);
    const caughtUp = policy.catchup === 'skip' ? [] : overdue.slice(policy.catchup === 'latest' ? -1 : -policy.catchupMax!);
    const iso = (ts: number[]) => ts.map((t) => new Date(t).toISOString());

    expect(overdue.length).toBeGreaterThanOrEqual(4); // ~10 s down at one every 2 s
    const fired = decision.filter((e) => e.type === 'OccurrenceFired').map((e) => e.data.scheduledFor);
    const missed = decision.filter((e) => e.type === 'OccurrencesMissed').flatMap((e) => e.data.scheduledFor as string[]);
    expect(fired).toEqual(iso([...caughtUp, ...onTime]));
    expect(missed).toEqual(iso(came.filter((t) => !caughtUp.includes(t) && !onTime.includes(t))));

    // Each fired occurrence reached the receiver once, under its derived reminder id.
    for (const scheduledFor of fired) {
      await eventually(
        () => receiver.for(occurrenceTargetId(id, scheduledFor)),
        (c) => c.length === 1,
        { what: `the callback of ${scheduledFor}` },
      );
    }
    // And the next decision is on time again: one occurrence, decided ahead of its time, its callback on time.
    const onTimeAgain = after.slice(decision.length).find((e) => e.type === 'OccurrenceFired')!;
    expect(onTimeAgain).toBeDefined();
    expect(Date.parse(onTimeAgain.data.firedAt)).toBeLessThanOrEqual(Date.parse(onTimeAgain.data.scheduledFor));
    const [callback] = await eventually(
      () => receiver.for(occurrenceTargetId(id, onTimeAgain.data.scheduledFor)),
      (c) => c.length === 1,
      { what: 'the on-time callback' },
    );
    expect(callback.at).toBeGreaterThanOrEqual(Date.parse(onTimeAgain.data.scheduledFor));
  }
  for (const id of ids) expect((await client.act(id, 'pause')).status).toBe(200);
}
