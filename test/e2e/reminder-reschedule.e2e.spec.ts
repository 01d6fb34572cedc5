import { eventually } from '@herald/testing';
import { CallbackReceiver } from '../support/receiver';
import { RunningHerald, call, removeDataDir, startHerald } from '../support/herald';

const ON_TIME_MS = 250; // generous for a loaded CI machine, as in reminder-lifecycle

type HistoryEvent = { type: string; revision: number; data: Record<string, unknown> };

/** Reschedule and retrigger, on the all-in-one app with a real HTTP receiver. */
describe('rescheduling and retriggering reminders end to end (all-in-one, SQLite, real HTTP receiver)', () => {
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
  const act = (id: string, action: 'reschedule' | 'retrigger', json?: unknown) =>
    call(`${herald.url}/api/v1/reminders/${id}/${action}`, { method: 'POST', ...(json !== undefined ? { json } : {}) });
  const view = (id: string) => call(`${herald.url}/api/v1/reminders/${id}`);
  const settled = (id: string, status: string) =>
    eventually(
      () => view(id),
      (r) => r.status === 200 && r.body.status === status,
      { what: `reminder ${id} ${status}` },
    );
  const history = async (id: string) => (await call(`${herald.url}/api/v1/reminders/${id}/events`)).body as HistoryEvent[];
  const callbacks = (id: string, count: number) =>
    eventually(
      () => receiver.for(id),
      (c) => c.length === count,
      { what: `${count} callback(s) of ${id}` },
    );
  /** A reminder due at `atMs` whose callback proves that time has come and gone in Herald (the cancel test's witness). */
  const witness = async (atMs: number) =>
    (await define({ dueAt: new Date(atMs).toISOString(), address: `${receiver.url}/witness` })).body.id as string;

  it('reschedules a reminder earlier: it fires at the new time, once, and not at the old one', async () => {
    const created = await define({ seconds: 3, address: `${receiver.url}/earlier`, payload: { n: 1 } });
    expect(created.status).toBe(201);
    const { id, dueAt: oldDueAt } = created.body;
    const late = await witness(Date.parse(oldDueAt) + 300);

    const moved = await act(id, 'reschedule', { seconds: 1 });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ id, status: 'Active', attempts: 0, payload: { n: 1 } });
    const newDueAt: string = moved.body.dueAt;
    expect(Date.parse(newDueAt)).toBeLessThan(Date.parse(oldDueAt) - 1_500);
    expect(moved.body.nextAttemptAt).toBe(newDueAt);
    expect(moved.body.timeLeft).toBeGreaterThan(0.5);
    expect(moved.body.timeLeft).toBeLessThanOrEqual(1);

    const [callback] = await callbacks(id, 1);
    expect(callback.at).toBeGreaterThanOrEqual(Date.parse(newDueAt));
    expect(callback.at - Date.parse(newDueAt)).toBeLessThanOrEqual(ON_TIME_MS);
    expect(callback.body).toEqual({ reminderId: id, dueAt: newDueAt, payload: { n: 1 }, attempt: 1 });
    await settled(id, 'Completed');

    await callbacks(late, 1); // the old time has passed
    expect(receiver.for(id)).toHaveLength(1);
    const events = await history(id);
    expect(events.map((e) => e.type)).toEqual(['ReminderDefined', 'ReminderRescheduled', 'ReminderCompleted']);
    expect(events[1].data).toEqual({ reminderId: id, dueAt: newDueAt, previousDueAt: oldDueAt, rescheduledAt: expect.any(String) });
  });

  it('reschedules a reminder later: nothing fires at the old time, it fires at the new one', async () => {
    const { id, dueAt: oldDueAt } = (await define({ seconds: 1, address: `${receiver.url}/later` })).body;
    const newDueAt = new Date(Date.parse(oldDueAt) + 1_500).toISOString();
    const passed = await witness(Date.parse(oldDueAt) + 300);

    const moved = await act(id, 'reschedule', { dueAt: newDueAt });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ id, status: 'Active', dueAt: newDueAt, nextAttemptAt: newDueAt });
    const shown = await eventually(
      () => view(id),
      (r) => r.body?.dueAt === newDueAt,
      { what: 'the read side showing the new dueAt' },
    );
    expect(shown.body).toMatchObject({ status: 'Active', nextAttemptAt: newDueAt });

    await callbacks(passed, 1); // the old time has come and gone in Herald…
    expect(receiver.for(id)).toEqual([]); // …without a callback

    const [callback] = await callbacks(id, 1);
    expect(callback.at).toBeGreaterThanOrEqual(Date.parse(newDueAt));
    expect(callback.at - Date.parse(newDueAt)).toBeLessThanOrEqual(ON_TIME_MS);
    expect(callback.body).toMatchObject({ reminderId: id, dueAt: newDueAt, attempt: 1 });
    await settled(id, 'Completed');
    expect(receiver.for(id)).toHaveLength(1);
    expect((await history(id)).map((e) => e.type)).toEqual(['ReminderDefined', 'ReminderRescheduled', 'ReminderCompleted']);
  });

  it('refuses to reschedule a completed reminder with 409 naming its state, and records nothing', async () => {
    const { id } = (await define({ seconds: 0, address: `${receiver.url}/done` })).body;
    await settled(id, 'Completed');
    const refused = await act(id, 'reschedule', { minutes: 5 });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'ReminderAlreadyFinished', message: expect.stringMatching(/is Completed/) });
    expect((await history(id)).map((e) => e.type)).toEqual(['ReminderDefined', 'ReminderCompleted']);
    expect(receiver.for(id)).toHaveLength(1);
  });

  it('retriggers a failed reminder: it fires again from attempt 1 and completes', async () => {
    let healthy = false;
    receiver.on('/flaky', (_c, res) => res.writeHead(healthy ? 204 : 500).end());
    const { id } = (await define({ seconds: 0, address: `${receiver.url}/flaky`, maxAttempts: 2 })).body;
    const failed = await settled(id, 'Failed');
    expect(failed.body).toMatchObject({ attempts: 2, lastStatusCode: 500 });
    expect(receiver.for(id)).toHaveLength(2);

    healthy = true;
    const before = Date.now();
    const again = await act(id, 'retrigger');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id, status: 'Active', attempts: 0, lastError: null, failedAt: null });
    expect(Date.parse(again.body.dueAt)).toBeGreaterThanOrEqual(before - 5); // due at once

    const third = (await callbacks(id, 3))[2];
    expect(third.headers['herald-attempt']).toBe('1');
    expect(third.body).toMatchObject({ reminderId: id, attempt: 1, dueAt: again.body.dueAt });
    const done = await settled(id, 'Completed');
    expect(done.body).toMatchObject({ attempts: 1, lastStatusCode: 204 });
    const events = await history(id);
    expect(events.map((e) => e.type)).toEqual([
      'ReminderDefined',
      'CallbackAttemptFailed',
      'CallbackAttemptFailed',
      'ReminderFailed',
      'ReminderRetriggered',
      'ReminderCompleted',
    ]);
    expect(events[4].data).toEqual({ reminderId: id, dueAt: again.body.dueAt, retriggeredAt: again.body.dueAt });
    expect(events[5].data).toMatchObject({ attempt: 1 });
  });

  it('retriggers a cancelled reminder at the dueAt given', async () => {
    const { id } = (await define({ minutes: 10, address: `${receiver.url}/revived` })).body;
    expect((await call(`${herald.url}/api/v1/reminders/${id}`, { method: 'DELETE' })).status).toBe(204);
    const dueAt = new Date(Date.now() + 800).toISOString();
    const again = await act(id, 'retrigger', { dueAt });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'Active', dueAt, cancelledAt: null });
    const [callback] = await callbacks(id, 1);
    expect(callback.at).toBeGreaterThanOrEqual(Date.parse(dueAt));
    expect(callback.at - Date.parse(dueAt)).toBeLessThanOrEqual(ON_TIME_MS);
    await settled(id, 'Completed');
  });

  it('refuses to retrigger an active or completed reminder with 409 naming its state', async () => {
    const active = (await define({ minutes: 10, address: `${receiver.url}/waiting` })).body.id;
    const refused = await act(active, 'retrigger');
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'ReminderStateConflict', message: expect.stringMatching(/is Active/) });

    const completed = (await define({ seconds: 0, address: `${receiver.url}/done` })).body.id;
    await settled(completed, 'Completed');
    const again = await act(completed, 'retrigger');
    expect([again.status, again.body.code]).toEqual([409, 'ReminderStateConflict']);
    expect(again.body.message).toMatch(/is Completed/);
    expect((await history(completed)).map((e) => e.type)).toEqual(['ReminderDefined', 'ReminderCompleted']);
  });

  it('answers 404 for unknown reminders and 400 for malformed ids', async () => {
    const unknown = '9d1e3a52-4e0b-4b8a-9a43-0c5e5d0c1f00';
    const moved = await act(unknown, 'reschedule', { seconds: 5 });
    expect([moved.status, moved.body.code]).toEqual([404, 'ReminderNotFound']);
    const again = await act(unknown, 'retrigger');
    expect([again.status, again.body.code]).toEqual([404, 'ReminderNotFound']);
    for (const action of ['reschedule', 'retrigger'] as const) {
      const r = await act('not-a-uuid', action, { dueAt: new Date().toISOString() });
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.body.message)).toMatch(/uuid/);
    }
  });
});

/** Every bad input is a 400 whose message names the field and the rule (the same as defining a reminder), and nothing is written. */
describe('bad input to reschedule and retrigger', () => {
  let herald: RunningHerald;
  let active: string;
  let cancelled: string;
  let events: number;

  beforeAll(async () => {
    // Its own Herald, holding only reminders that fire in no time soon: the event count moves only if a request writes.
    herald = await startHerald();
    const define = (body: Record<string, unknown>) => call(`${herald.url}/api/v1/reminders`, { method: 'POST', json: body });
    active = (await define({ minutes: 30, address: 'http://127.0.0.1:9/hook' })).body.id;
    cancelled = (await define({ minutes: 30, address: 'http://127.0.0.1:9/hook' })).body.id;
    expect((await call(`${herald.url}/api/v1/reminders/${cancelled}`, { method: 'DELETE' })).status).toBe(204);
    events = herald.eventCount();
    expect(events).toBe(3);
  });
  afterAll(async () => {
    await herald.close();
    removeDataDir(herald.dataDir);
  });
  const expectNothingWritten = () => expect(herald.eventCount()).toBe(events);
  const post = (id: string, action: string, body: string) =>
    call(`${herald.url}/api/v1/reminders/${id}/${action}`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });

  it.each([
    ['both forms of the time', { seconds: 5, dueAt: '2030-01-01T00:00:00Z' }, /either dueAt or hours\/minutes\/seconds, not both/],
    ['no time at all', {}, /give when the reminder is due/],
    ['a negative delay', { seconds: -1 }, /seconds must not be less than 0/],
    ['a delay given as a string', { seconds: '30' }, /seconds must be a number/],
    ['an infinite-looking delay', { hours: 1e12 }, /hours must not be greater than 87600/],
    ['delays adding up past 10 years', { hours: 87_600, minutes: 5_000_000 }, /within 10 years/],
    ['a dueAt that is not a date', { dueAt: 'tomorrow' }, /dueAt must be an ISO-8601 date-time/],
    ['a dueAt without a time zone', { dueAt: '2030-01-01T09:00:00' }, /dueAt must end with a time zone/],
    ['a dueAt days in the past', { dueAt: '2020-01-01T00:00:00Z' }, /more than 24 hours in the past/],
    ['an unknown field (a typo)', { secconds: 1 }, /property secconds should not exist/],
  ])('rejects a reschedule with %s', async (_name, body, message) => {
    const response = await post(active, 'reschedule', JSON.stringify(body));
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body.message)).toMatch(message);
    expectNothingWritten();
  });

  it.each([
    ['a dueAt that is not a date', { dueAt: 'tomorrow' }, /dueAt must be an ISO-8601 date-time/],
    ['a dueAt without a time zone', { dueAt: '2030-01-01T09:00:00' }, /dueAt must end with a time zone/],
    ['a dueAt days in the past', { dueAt: '2020-01-01T00:00:00Z' }, /more than 24 hours in the past/],
    ['a dueAt past 10 years', { dueAt: '2099-01-01T00:00:00Z' }, /within 10 years/],
    ['a delay (only dueAt is read)', { seconds: 5 }, /property seconds should not exist/],
  ])('rejects a retrigger with %s', async (_name, body, message) => {
    const response = await post(cancelled, 'retrigger', JSON.stringify(body));
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body.message)).toMatch(message);
    expectNothingWritten();
  });

  it.each([
    ['malformed JSON', '{"seconds": 1', /JSON/i],
    ['a JSON array', '[1, 2]', /request body must be a JSON object/],
  ])('rejects %s with 400', async (_name, body, message) => {
    for (const [id, action] of [
      [active, 'reschedule'],
      [cancelled, 'retrigger'],
    ]) {
      const response = await post(id, action, body);
      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body)).toMatch(message);
    }
    expectNothingWritten();
  });
});
