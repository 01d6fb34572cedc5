import { CHECKPOINT_STORE, EVENT_STORE } from '@herald/event-store';
import { REMINDER_VIEWS_PROJECTION, REMINDER_CALLBACKS_PROJECTION } from '@herald/reminders';
import { ProjectionHost, rebuildProjection } from '@herald/runtime';
import { eventually } from '@herald/testing';
import { CallbackReceiver } from '../support/receiver';
import { RunningHerald, call, removeDataDir, startHerald } from '../support/herald';

const ON_TIME_MS = 250; // generous for a loaded CI machine; the benchmark measures the real figure

describe('reminders end to end (all-in-one, SQLite, real HTTP receiver)', () => {
  let herald: RunningHerald;
  let receiver: CallbackReceiver;

  beforeAll(async () => {
    receiver = await new CallbackReceiver().start();
    herald = await startHerald({ RETRY_BASE_DELAY_MS: '100', RETRY_MAX_DELAY_MS: '400' });
  });
  afterAll(async () => {
    await herald.close();
    await receiver.stop();
    removeDataDir(herald.dataDir);
  });

  const define = (body: Record<string, unknown>) => call(`${herald.url}/api/v1/reminders`, { method: 'POST', json: body });
  const view = (id: string) => call(`${herald.url}/api/v1/reminders/${id}`);
  const settled = (id: string, status: string) =>
    eventually(
      () => view(id),
      (r) => r.status === 200 && r.body.status === status,
      { what: `reminder ${id} ${status}` },
    );
  const history = async (id: string) =>
    (await call(`${herald.url}/api/v1/reminders/${id}/events`)).body as { type: string; revision: number; data: any; recordedAt: string }[];

  it('is healthy once started', async () => {
    const health = await call(`${herald.url}/health`);
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('ok');
  });

  it('fires the callback once, on time, with the documented body and headers, then shows Completed', async () => {
    const created = await define({
      seconds: 1,
      address: `${receiver.url}/once`,
      payload: { order: 42, tags: ['a', 'b'] },
      headers: { Authorization: 'Bearer abc', 'X-Tenant': 't1' },
    });
    expect(created.status).toBe(201);
    const { id, status, timeLeft, dueAt } = created.body;
    expect(created.headers.get('location')).toBe(`/api/v1/reminders/${id}`);
    expect(status).toBe('Active');
    expect(timeLeft).toBeGreaterThan(0.8);
    expect(timeLeft).toBeLessThanOrEqual(1);

    const [callback] = await eventually(
      () => receiver.for(id),
      (c) => c.length === 1,
      { what: 'the callback' },
    );
    expect(callback.at).toBeGreaterThanOrEqual(Date.parse(dueAt));
    expect(callback.at - Date.parse(dueAt)).toBeLessThanOrEqual(ON_TIME_MS);
    expect(callback.body).toEqual({ reminderId: id, dueAt, payload: { order: 42, tags: ['a', 'b'] }, attempt: 1 });
    expect(callback.headers).toMatchObject({
      'content-type': 'application/json',
      'herald-reminder-id': id,
      'herald-attempt': '1',
      'idempotency-key': id,
      authorization: 'Bearer abc',
      'x-tenant': 't1',
    });

    const done = await settled(id, 'Completed');
    expect(done.body).toMatchObject({
      id,
      timeLeft: 0,
      dueAt,
      attempts: 1,
      lastStatusCode: 204,
      lastError: null,
      headerNames: ['Authorization', 'X-Tenant'],
    });
    expect(Date.parse(done.body.completedAt)).toBeGreaterThanOrEqual(Date.parse(dueAt));
    const events = await history(id);
    expect(events.map((e) => [e.revision, e.type])).toEqual([
      [0, 'ReminderDefined'],
      [1, 'ReminderCompleted'],
    ]);
    expect(events[0].data.headers).toEqual({ Authorization: '[redacted]', 'X-Tenant': '[redacted]' });
    expect(events[1].data).toMatchObject({ attempt: 1, statusCode: 204 });
    expect(receiver.for(id)).toHaveLength(1);
  });

  it('honours a dueAt to the millisecond', async () => {
    const dueAt = new Date(Date.now() + 700);
    dueAt.setUTCMilliseconds(537);
    if (dueAt.getTime() < Date.now() + 300) dueAt.setTime(dueAt.getTime() + 1000);
    const { body } = await define({ dueAt: dueAt.toISOString(), address: `${receiver.url}/ms` });
    expect(body.dueAt).toBe(dueAt.toISOString());
    const [callback] = await eventually(
      () => receiver.for(body.id),
      (c) => c.length === 1,
    );
    expect(callback.at).toBeGreaterThanOrEqual(dueAt.getTime());
    expect(callback.at - dueAt.getTime()).toBeLessThanOrEqual(ON_TIME_MS);
  });

  it('retries with backoff, keeping the Idempotency-Key, then fails with the last error', async () => {
    receiver.on('/broken', (_c, res) => res.writeHead(500).end('database down'));
    const { body } = await define({ seconds: 0, address: `${receiver.url}/broken`, maxAttempts: 3 });
    const failed = await settled(body.id, 'Failed');
    expect(failed.body).toMatchObject({ attempts: 3, lastStatusCode: 500, lastError: 'HTTP 500: database down', nextAttemptAt: null, timeLeft: 0 });

    const attempts = receiver.for(body.id);
    expect(attempts.map((c) => c.headers['herald-attempt'])).toEqual(['1', '2', '3']);
    expect(new Set(attempts.map((c) => c.headers['idempotency-key']))).toEqual(new Set([body.id]));
    // equal jitter keeps at least half the nominal delay: ≥ 50 ms, then ≥ 100 ms
    expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(50);
    expect(attempts[2].at - attempts[1].at).toBeGreaterThanOrEqual(100);
    expect((await history(body.id)).map((e) => e.type)).toEqual([
      'ReminderDefined',
      'CallbackAttemptFailed',
      'CallbackAttemptFailed',
      'CallbackAttemptFailed',
      'ReminderFailed',
    ]);
  });

  it("recovers on a retry and waits for the receiver's Retry-After", async () => {
    let calls = 0;
    receiver.on('/busy', (_c, res) => (++calls === 1 ? res.writeHead(503, { 'Retry-After': '1' }).end() : res.writeHead(200).end()));
    const { body } = await define({ seconds: 0, address: `${receiver.url}/busy` });
    const done = await settled(body.id, 'Completed');
    expect(done.body.attempts).toBe(2);
    const [first, second] = receiver.for(body.id);
    expect(second.at - first.at).toBeGreaterThanOrEqual(1_000);
    const events = await history(body.id);
    expect(events[1]).toMatchObject({ type: 'CallbackAttemptFailed', data: { attempt: 1, statusCode: 503, error: 'HTTP 503' } });
  });

  it('counts a receiver slower than timeoutMs as a failed attempt', async () => {
    receiver.on('/slow', (_c, res) => setTimeout(() => res.writeHead(200).end(), 1_000));
    const { body } = await define({ seconds: 0, address: `${receiver.url}/slow`, timeoutMs: 200, maxAttempts: 1 });
    const failed = await settled(body.id, 'Failed');
    expect(failed.body.lastError).toBe('timed out after 200 ms');
    expect(failed.body.lastStatusCode).toBeNull();
  });

  it('records a refused connection as a failed attempt', async () => {
    const { body } = await define({ seconds: 0, address: 'http://127.0.0.1:1/nothing-listens', maxAttempts: 1 });
    const failed = await settled(body.id, 'Failed');
    expect(failed.body.lastError).toMatch(/ECONNREFUSED/);
  });

  it('never fires a cancelled reminder, and refuses to cancel it twice', async () => {
    const cancelled = await define({ seconds: 1, address: `${receiver.url}/cancelled` });
    const witness = await define({ seconds: 1.3, address: `${receiver.url}/witness` });
    const del = await call(`${herald.url}/api/v1/reminders/${cancelled.body.id}`, { method: 'DELETE' });
    expect(del.status).toBe(204);
    // The witness falls due after the cancelled one: once it has fired, the cancelled one would have too.
    await eventually(
      () => receiver.for(witness.body.id),
      (c) => c.length === 1,
    );
    expect(receiver.for(cancelled.body.id)).toEqual([]);
    const shown = await settled(cancelled.body.id, 'Cancelled');
    expect(shown.body).toMatchObject({ timeLeft: 0, attempts: 0 });
    expect(typeof shown.body.cancelledAt).toBe('string');

    const again = await call(`${herald.url}/api/v1/reminders/${cancelled.body.id}`, { method: 'DELETE' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'ReminderAlreadyFinished', message: expect.stringMatching(/Cancelled/) });
  });

  it('refuses to cancel a completed reminder with 409 and records nothing', async () => {
    const { body } = await define({ seconds: 0, address: `${receiver.url}/quick` });
    await settled(body.id, 'Completed');
    const del = await call(`${herald.url}/api/v1/reminders/${body.id}`, { method: 'DELETE' });
    expect(del.status).toBe(409);
    expect((await history(body.id)).map((e) => e.type)).toEqual(['ReminderDefined', 'ReminderCompleted']);
  });

  it('answers 404 for unknown reminders and 400 for malformed ids', async () => {
    const unknown = '9d1e3a52-4e0b-4b8a-9a43-0c5e5d0c1f00';
    for (const path of [unknown, `${unknown}/events`]) {
      const r = await call(`${herald.url}/api/v1/reminders/${path}`);
      expect([r.status, r.body.code]).toEqual([404, 'ReminderNotFound']);
    }
    expect((await call(`${herald.url}/api/v1/reminders/${unknown}`, { method: 'DELETE' })).status).toBe(404);
    for (const [method, path] of [
      ['GET', 'not-a-uuid'],
      ['GET', 'not-a-uuid/events'],
      ['DELETE', 'not-a-uuid'],
    ]) {
      const r = await call(`${herald.url}/api/v1/reminders/${path}`, { method });
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.body.message)).toMatch(/uuid/);
    }
  });

  it('lists reminders newest first or by dueAt, filtered by status, in pages', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await define({ minutes: 10 + i, address: `${receiver.url}/later` })).body.id);
    await eventually(
      () => view(ids[4]),
      (r) => r.status === 200,
    );
    const first = await call(`${herald.url}/api/v1/reminders?status=Active&limit=3`);
    expect(first.status).toBe(200);
    expect(first.body.items.map((r: { id: string }) => r.id)).toEqual([ids[4], ids[3], ids[2]]);
    const second = await call(`${herald.url}/api/v1/reminders?status=Active&limit=3&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((r: { id: string }) => r.id).slice(0, 2)).toEqual([ids[1], ids[0]]);
    const byDue = await call(`${herald.url}/api/v1/reminders?status=Active&order=dueAt&limit=500`);
    const dueOrder = byDue.body.items.map((r: { id: string }) => r.id).filter((id: string) => ids.includes(id));
    expect(dueOrder).toEqual(ids);
    const done = (await define({ seconds: 0, address: `${receiver.url}/now` })).body.id;
    await settled(done, 'Completed');
    const completed = await call(`${herald.url}/api/v1/reminders?status=Completed&limit=500`);
    expect(completed.body.items.every((r: { status: string }) => r.status === 'Completed')).toBe(true);
    expect(completed.body.items.map((r: { id: string }) => r.id)).toContain(done);
    expect(completed.body.items.map((r: { id: string }) => r.id)).not.toContain(ids[0]);
  });

  it('rebuilds the same read model from the log (replay)', async () => {
    const all = async () =>
      (await call(`${herald.url}/api/v1/reminders?limit=500`)).body.items.map(({ timeLeft: _t, ...view }: Record<string, unknown>) => view);
    // Its own reminders, one finished and one waiting, so the log holds more events than views whatever ran before.
    const finished = (await define({ seconds: 0, address: `${receiver.url}/replayed` })).body.id;
    const waiting = (await define({ minutes: 30, address: `${receiver.url}/replayed` })).body.id;
    await settled(finished, 'Completed');
    await settled(waiting, 'Active');
    await eventually(
      () => call(`${herald.url}/health`),
      (r) => r.body.info[REMINDER_VIEWS_PROJECTION].position === r.body.info[REMINDER_CALLBACKS_PROJECTION].position,
    );
    const before = await all();
    expect(before.map((v: { id: string }) => v.id)).toEqual(expect.arrayContaining([finished, waiting]));
    const views = herald.app
      .get(ProjectionHost)
      .all()
      .find((p) => p.name === REMINDER_VIEWS_PROJECTION)!;
    const report = await rebuildProjection(herald.app.get(EVENT_STORE), herald.app.get(CHECKPOINT_STORE), views);
    expect(report.events).toBeGreaterThan(before.length);
    expect(await all()).toEqual(before);
  });
});
