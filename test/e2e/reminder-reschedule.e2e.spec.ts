import { CallbackReceiver } from '../support/receiver';
import { RunningHerald, call, removeDataDir, startHerald } from '../support/herald';
import { ON_TIME_MS, ReminderMoves, expectFailedRetriggered, expectRescheduledEarlier, expectRescheduledLater } from '../support/reminder-moves';

/** Reschedule and retrigger, on the all-in-one app with a real HTTP receiver. */
describe('rescheduling and retriggering reminders end to end (all-in-one, SQLite, real HTTP receiver)', () => {
  let herald: RunningHerald;
  let receiver: CallbackReceiver;
  let moves: ReminderMoves;

  beforeAll(async () => {
    receiver = await new CallbackReceiver().start();
    herald = await startHerald({ RETRY_BASE_DELAY_MS: '100', RETRY_MAX_DELAY_MS: '400' });
    moves = new ReminderMoves({ command: herald.url, query: herald.url }, receiver);
  });
  afterAll(async () => {
    await herald.close();
    await receiver.stop();
    removeDataDir(herald.dataDir);
  });

  const define = (body: Record<string, unknown>) => moves.define(body);
  const act = (id: string, action: 'reschedule' | 'retrigger', json?: unknown) => moves.act(id, action, json);
  const settled = (id: string, status: string) => moves.settled(id, status);
  const history = (id: string) => moves.history(id);

  it('reschedules a reminder earlier: it fires at the new time, once, and not at the old one', () => expectRescheduledEarlier(moves));

  it('reschedules a reminder later: nothing fires at the old time, it fires at the new one', () => expectRescheduledLater(moves));

  it('refuses to reschedule a completed reminder with 409 naming its state, and records nothing', async () => {
    const { id } = (await define({ seconds: 0, address: `${receiver.url}/done` })).body;
    await settled(id, 'Completed');
    const refused = await act(id, 'reschedule', { minutes: 5 });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'ReminderAlreadyFinished', message: expect.stringMatching(/is Completed/) });
    expect((await history(id)).map((e) => e.type)).toEqual(['ReminderDefined', 'ReminderCompleted']);
    expect(receiver.for(id)).toHaveLength(1);
  });

  it('retriggers a failed reminder: it fires again from attempt 1 and completes', () => expectFailedRetriggered(moves));

  it('retriggers a cancelled reminder at the dueAt given', async () => {
    const { id } = (await define({ minutes: 10, address: `${receiver.url}/revived` })).body;
    expect((await call(`${herald.url}/api/v1/reminders/${id}`, { method: 'DELETE' })).status).toBe(204);
    const dueAt = new Date(Date.now() + 800).toISOString();
    const again = await act(id, 'retrigger', { dueAt });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'Active', dueAt, cancelledAt: null });
    const [callback] = await moves.callbacks(id, 1);
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
