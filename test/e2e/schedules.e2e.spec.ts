import { occurrenceTargetId } from '@herald/schedules';
import { eventually } from '@herald/testing';
import { CallbackReceiver } from '../support/receiver';
import { RunningHerald, call, removeDataDir, startHerald } from '../support/herald';
import {
  MEASURED_OCCURRENCES,
  ScheduleClient,
  callbacksToMeasure,
  expectOnTime,
  expectOverlapSkipsWhileTaskRuns,
  occurrenceLateness,
} from '../support/schedules';

/** Schedules end to end on the all-in-one app: cron occurrences fire reminders and tasks, once each. */
describe('schedules end to end (all-in-one, SQLite, real HTTP receiver and worker)', () => {
  let herald: RunningHerald;
  let receiver: CallbackReceiver;
  let client: ScheduleClient;

  beforeAll(async () => {
    receiver = await new CallbackReceiver().start();
    herald = await startHerald();
    client = new ScheduleClient({ command: herald.url, query: herald.url });
  });
  afterAll(async () => {
    await herald.close();
    await receiver.stop();
    removeDataDir(herald.dataDir);
  });

  const create = (body: Record<string, unknown>) => client.create(body);
  const act = (id: string, action: string, body?: Record<string, unknown>) => client.act(id, action, body);
  const runs = (id: string) => client.runs(id);
  const callbacksOf = (path: string) => receiver.received.filter((c) => c.path === path);

  it('fires a six-field every-2-seconds schedule at each even second (lateness p99 within 50 ms), once per occurrence, and lists its runs', async () => {
    const r = await create({ cron: '*/2 * * * * *', target: { reminder: { address: `${receiver.url}/even`, payload: { job: 'tick' } } } });
    expect(r.status).toBe(201);
    expect(r.headers.get('location')).toBe(`/api/v1/schedules/${r.body.id}`);
    expect(r.body).toMatchObject({ cron: '*/2 * * * * *', timeZone: 'UTC', status: 'Active', overlap: 'skip', catchup: 'latest', runs: 0 });
    expect(Date.parse(r.body.nextRunAt) % 2_000).toBe(0);

    const measured = await callbacksToMeasure(() => callbacksOf('/even'));
    const fired = await eventually(
      () => runs(r.body.id),
      (items) => items.filter((i) => i.outcome === 'fired').length > MEASURED_OCCURRENCES,
      { what: `${MEASURED_OCCURRENCES + 1} fired runs` },
    );
    expect(fired.filter((i) => i.outcome !== 'fired')).toEqual([]);
    for (const run of fired) {
      expect(Date.parse(run.scheduledFor) % 2_000).toBe(0);
      expect(run.reminderId).toBe(occurrenceTargetId(r.body.id, run.scheduledFor));
    }
    // Consecutive even seconds: none left out.
    const instants = fired.map((i) => Date.parse(i.scheduledFor)).sort((a, b) => a - b);
    expect(instants.slice(1).map((t, i) => t - instants[i])).toEqual(instants.slice(1).map(() => 2_000));
    for (const callback of measured) expect(callback.body.payload).toEqual({ job: 'tick' });
    expectOnTime(
      occurrenceLateness(
        r.body.id,
        measured,
        fired.map((i) => i.scheduledFor),
      ),
      'on the embedded default',
    );
    // Each reminder names its schedule and occurrence, and is listed by schedule.
    const reminder = await call(`${herald.url}/api/v1/reminders/${measured[0].body.reminderId}`);
    expect(reminder.body.scheduleId).toBe(r.body.id);
    expect(fired.map((i) => i.scheduledFor)).toContain(reminder.body.scheduledFor);
    const listed = await call(`${herald.url}/api/v1/reminders?scheduleId=${r.body.id}&limit=500`);
    expect(listed.body.items.length).toBeGreaterThan(MEASURED_OCCURRENCES);
    expect(listed.body.items.every((i: { scheduleId: string }) => i.scheduleId === r.body.id)).toBe(true);
    // Once per occurrence: no reminder id twice.
    const ids = callbacksOf('/even').map((c) => c.body.reminderId);
    expect(new Set(ids).size).toBe(ids.length);
    await act(r.body.id, 'pause');
  }, 60_000);

  it('stops firing while paused and starts again on resume, without catching up the paused time', async () => {
    const paused = await create({ cron: '*/2 * * * * *', target: { reminder: { address: `${receiver.url}/paused` } } });
    const control = await create({ cron: '*/2 * * * * *', target: { reminder: { address: `${receiver.url}/control` } } });
    await eventually(
      () => callbacksOf('/paused'),
      (c) => c.length >= 1,
      { what: 'a first callback' },
    );
    const p = await act(paused.body.id, 'pause', { note: 'maintenance' });
    expect(p.status).toBe(200);
    expect(p.body).toMatchObject({ status: 'Paused', pausedNote: 'maintenance', nextRunAt: null });
    const firedBefore = callbacksOf('/paused').length;
    const controlBefore = callbacksOf('/control').length;
    // The control schedule's next two callbacks mark the time in which the paused one would have fired twice.
    await eventually(
      () => callbacksOf('/control').length,
      (n) => n >= controlBefore + 2,
      { what: 'two control callbacks' },
    );
    // At most one more: an occurrence already due when the pause was recorded may still be in delivery. One
    // decided ahead and not yet due is withdrawn (its reminder cancelled; schedule-withdrawal.e2e.spec.ts), but
    // a pause a few milliseconds before an occurrence can still lose the race to its reminder's timer: not zero.
    expect(callbacksOf('/paused').length).toBeLessThanOrEqual(firedBefore + 1);
    const settled = callbacksOf('/paused').length;

    const resumed = await act(paused.body.id, 'resume');
    expect(resumed.body.status).toBe('Active');
    await eventually(
      () => callbacksOf('/paused').length,
      (n) => n > settled,
      { what: 'a callback after resuming' },
    );
    expect((await runs(paused.body.id)).filter((i) => i.outcome === 'missed')).toEqual([]);
    expect((await act(paused.body.id, 'resume')).status).toBe(409);
    await act(paused.body.id, 'pause');
    await act(control.body.id, 'pause');
  });

  it('previews occurrences as firing computes them, daylight saving included', async () => {
    const preview = await call(`${herald.url}/api/v1/schedules/preview`, {
      method: 'POST',
      json: { cron: '30 2 * * *', timeZone: 'Europe/Berlin', count: 3, from: '2027-03-26T12:00:00Z' },
    });
    expect(preview.status).toBe(200);
    expect(preview.body.occurrences).toEqual(['2027-03-27T01:30:00.000Z', '2027-03-28T01:00:00.000Z', '2027-03-29T00:30:00.000Z']);
    const s = await create({
      cron: '0 9 * * MON-FRI',
      timeZone: 'America/New_York',
      target: { reminder: { address: `${receiver.url}/x` } },
      paused: true,
    });
    const existing = await call(`${herald.url}/api/v1/schedules/${s.body.id}/preview?count=2&from=2027-01-01T00:00:00Z`);
    expect(existing.body.occurrences).toEqual(['2027-01-01T14:00:00.000Z', '2027-01-04T14:00:00.000Z']);
  });

  it('runs a task target, skips occurrences while its task runs (overlap skip), and fires again once it finished', () =>
    expectOverlapSkipsWhileTaskRuns(client, 'e2e.scheduled-sync'));

  it('triggers one extra run now, deletes a schedule keeping its history, and answers 404 and 409', async () => {
    const s = await create({ cron: '0 0 1 1 *', target: { reminder: { address: `${receiver.url}/trigger` } } });
    const t = await act(s.body.id, 'trigger');
    expect(t.status).toBe(200);
    await eventually(
      () => callbacksOf('/trigger'),
      (c) => c.length === 1,
      { what: 'the triggered callback' },
    );
    expect((await runs(s.body.id))[0]).toMatchObject({ outcome: 'fired', manual: true });
    const d = await call(`${herald.url}/api/v1/schedules/${s.body.id}`, { method: 'DELETE' });
    expect(d.body).toMatchObject({ status: 'Ended', deleted: true, nextRunAt: null });
    expect((await call(`${herald.url}/api/v1/schedules/${s.body.id}`, { method: 'DELETE' })).status).toBe(409);
    expect((await act(s.body.id, 'trigger')).status).toBe(409);
    // Ended: it will never fire, so its preview is empty (a paused one previews what it would fire once resumed, above).
    const preview = await call(`${herald.url}/api/v1/schedules/${s.body.id}/preview?count=3`);
    expect(preview.body).toEqual({ occurrences: [] });
    const events = await call(`${herald.url}/api/v1/schedules/${s.body.id}/events`);
    expect(events.body.map((e: { type: string }) => e.type)).toEqual(['ScheduleCreated', 'OccurrenceFired', 'ScheduleDeleted']);
    expect((await call(`${herald.url}/api/v1/schedules/9d1e3a52-4e0b-4b8a-9a43-0c5e5d0c1f00`)).status).toBe(404);
  });

  it('changes the pattern from the next occurrence on (PATCH)', async () => {
    const s = await create({ cron: '0 0 1 1 *', target: { reminder: { address: `${receiver.url}/patched` } } });
    const p = await call(`${herald.url}/api/v1/schedules/${s.body.id}`, { method: 'PATCH', json: { cron: '*/2 * * * * *' } });
    expect(p.status).toBe(200);
    expect(Date.parse(p.body.nextRunAt) - Date.now()).toBeLessThanOrEqual(2_000);
    await eventually(
      () => callbacksOf('/patched'),
      (c) => c.length >= 1,
      { what: 'a callback under the new pattern' },
    );
    await act(s.body.id, 'pause');
  });

  describe('bad input: a 400 naming the field that writes nothing', () => {
    const reminder = () => ({ reminder: { address: `${receiver.url}/bad` } });
    it.each([
      ['a missing cron', () => ({ target: reminder() }), /cron must be 5 fields/],
      ['a cron of 4 fields', () => ({ cron: '* * * *', target: reminder() }), /has 4/],
      ['an unknown time zone', () => ({ cron: '0 9 * * *', timeZone: 'Mars/Base', target: reminder() }), /timeZone must be an IANA time zone name/],
      ['no target', () => ({ cron: '0 9 * * *' }), /target must be exactly one of/],
      ['two targets', () => ({ cron: '0 9 * * *', target: { ...reminder(), task: { type: 'x' } } }), /target must be exactly one of/],
      ['a bad callback address', () => ({ cron: '0 9 * * *', target: { reminder: { address: 'ftp://x' } } }), /target\.reminder: address/],
      ['a bad task type', () => ({ cron: '0 9 * * *', target: { task: { type: 'has space' } } }), /target\.task: type must be/],
      ['an unknown overlap', () => ({ cron: '0 9 * * *', target: reminder(), overlap: 'queue' }), /overlap must be one of skip, allow, bufferOne/],
      ['an unknown catch-up', () => ({ cron: '0 9 * * *', target: reminder(), catchup: 'some' }), /catchup must be one of skip, latest, all/],
      [
        'an end before the start',
        () => ({ cron: '0 9 * * *', target: reminder(), startAt: '2030-01-02T00:00:00Z', endAt: '2030-01-01T00:00:00Z' }),
        /endAt must be after startAt/,
      ],
      ['a schedule that never fires', () => ({ cron: '0 0 30 2 *', target: reminder() }), /would never fire/],
    ])('POST /api/v1/schedules rejects %s', async (_name, body, message) => {
      const before = herald.eventCount();
      const r = await create(body());
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.body.message)).toMatch(message);
      expect(herald.eventCount()).toBe(before);
    });
  });
});
