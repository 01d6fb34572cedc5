import { eventually } from '@herald/testing';
import { call } from './herald';
import { CallbackReceiver } from './receiver';
import type { HeraldUrls } from './schedules';

/** A reminder callback this late after its (new) due time fails: generous for a loaded CI machine, as in reminder-lifecycle. */
export const ON_TIME_MS = 250;

export type HistoryEvent = { type: string; revision: number; data: Record<string, unknown> };

/** Reminders as the reschedule and retrigger specs drive them: writes to the command side, reads from the query side. */
export class ReminderMoves {
  constructor(
    readonly urls: HeraldUrls,
    readonly receiver: CallbackReceiver,
  ) {}

  define(body: Record<string, unknown>) {
    return call(`${this.urls.command}/api/v1/reminders`, { method: 'POST', json: body });
  }

  act(id: string, action: 'reschedule' | 'retrigger', json?: unknown) {
    return call(`${this.urls.command}/api/v1/reminders/${id}/${action}`, { method: 'POST', ...(json !== undefined ? { json } : {}) });
  }

  view(id: string) {
    return call(`${this.urls.query}/api/v1/reminders/${id}`);
  }

  settled(id: string, status: string) {
    return eventually(
      () => this.view(id),
      (r) => r.status === 200 && r.body.status === status,
      { what: `reminder ${id} ${status}` },
    );
  }

  async history(id: string): Promise<HistoryEvent[]> {
    return (await call(`${this.urls.query}/api/v1/reminders/${id}/events`)).body;
  }

  callbacks(id: string, count: number) {
    return eventually(
      () => this.receiver.for(id),
      (c) => c.length === count,
      { what: `${count} callback(s) of ${id}` },
    );
  }

  /** A reminder due at `atMs` whose callback proves that time has come and gone in Herald (the cancel test's witness). */
  async witness(atMs: number): Promise<string> {
    return (await this.define({ dueAt: new Date(atMs).toISOString(), address: `${this.receiver.url}/witness` })).body.id;
  }
}

/** Rescheduled earlier: it fires at the new time, once, and not at the old one. */
export async function expectRescheduledEarlier(m: ReminderMoves): Promise<void> {
  const created = await m.define({ seconds: 3, address: `${m.receiver.url}/earlier`, payload: { n: 1 } });
  expect(created.status).toBe(201);
  const { id, dueAt: oldDueAt } = created.body;
  const late = await m.witness(Date.parse(oldDueAt) + 300);

  const moved = await m.act(id, 'reschedule', { seconds: 1 });
  expect(moved.status).toBe(200);
  expect(moved.body).toMatchObject({ id, status: 'Active', attempts: 0, payload: { n: 1 } });
  const newDueAt: string = moved.body.dueAt;
  expect(Date.parse(newDueAt)).toBeLessThan(Date.parse(oldDueAt) - 1_500);
  expect(moved.body.nextAttemptAt).toBe(newDueAt);
  expect(moved.body.timeLeft).toBeGreaterThan(0.5);
  expect(moved.body.timeLeft).toBeLessThanOrEqual(1);

  const [callback] = await m.callbacks(id, 1);
  expect(callback.at).toBeGreaterThanOrEqual(Date.parse(newDueAt));
  expect(callback.at - Date.parse(newDueAt)).toBeLessThanOrEqual(ON_TIME_MS);
  expect(callback.body).toEqual({ reminderId: id, dueAt: newDueAt, payload: { n: 1 }, attempt: 1 });
  await m.settled(id, 'Completed');

  await m.callbacks(late, 1); // the old time has passed
  expect(m.receiver.for(id)).toHaveLength(1);
  const events = await m.history(id);
  expect(events.map((e) => e.type)).toEqual(['ReminderDefined', 'ReminderRescheduled', 'ReminderCompleted']);
  expect(events[1].data).toEqual({ reminderId: id, dueAt: newDueAt, previousDueAt: oldDueAt, rescheduledAt: expect.any(String) });
}

/** Rescheduled later: nothing fires at the old time, it fires at the new one. */
export async function expectRescheduledLater(m: ReminderMoves): Promise<void> {
  const { id, dueAt: oldDueAt } = (await m.define({ seconds: 1, address: `${m.receiver.url}/later` })).body;
  const newDueAt = new Date(Date.parse(oldDueAt) + 1_500).toISOString();
  const passed = await m.witness(Date.parse(oldDueAt) + 300);

  const moved = await m.act(id, 'reschedule', { dueAt: newDueAt });
  expect(moved.status).toBe(200);
  expect(moved.body).toMatchObject({ id, status: 'Active', dueAt: newDueAt, nextAttemptAt: newDueAt });
  const shown = await eventually(
    () => m.view(id),
    (r) => r.body?.dueAt === newDueAt,
    { what: 'the read side showing the new dueAt' },
  );
  expect(shown.body).toMatchObject({ status: 'Active', nextAttemptAt: newDueAt });

  await m.callbacks(passed, 1); // the old time has come and gone in Herald…
  expect(m.receiver.for(id)).toEqual([]); // …without a callback

  const [callback] = await m.callbacks(id, 1);
  expect(callback.at).toBeGreaterThanOrEqual(Date.parse(newDueAt));
  expect(callback.at - Date.parse(newDueAt)).toBeLessThanOrEqual(ON_TIME_MS);
  expect(callback.body).toMatchObject({ reminderId: id, dueAt: newDueAt, attempt: 1 });
  await m.settled(id, 'Completed');
  expect(m.receiver.for(id)).toHaveLength(1);
  expect((await m.history(id)).map((e) => e.type)).toEqual(['ReminderDefined', 'ReminderRescheduled', 'ReminderCompleted']);
}

/** A failed reminder retriggered: it fires again from attempt 1 and completes. Needs a short retry delay (RETRY_BASE_DELAY_MS). */
export async function expectFailedRetriggered(m: ReminderMoves): Promise<void> {
  let healthy = false;
  m.receiver.on('/flaky', (_c, res) => res.writeHead(healthy ? 204 : 500).end());
  const { id } = (await m.define({ seconds: 0, address: `${m.receiver.url}/flaky`, maxAttempts: 2 })).body;
  const failed = await m.settled(id, 'Failed');
  expect(failed.body).toMatchObject({ attempts: 2, lastStatusCode: 500 });
  expect(m.receiver.for(id)).toHaveLength(2);

  healthy = true;
  const before = Date.now();
  const again = await m.act(id, 'retrigger');
  expect(again.status).toBe(200);
  expect(again.body).toMatchObject({ id, status: 'Active', attempts: 0, lastError: null, failedAt: null });
  expect(Date.parse(again.body.dueAt)).toBeGreaterThanOrEqual(before - 5); // due at once

  const third = (await m.callbacks(id, 3))[2];
  expect(third.headers['herald-attempt']).toBe('1');
  expect(third.body).toMatchObject({ reminderId: id, attempt: 1, dueAt: again.body.dueAt });
  const done = await m.settled(id, 'Completed');
  expect(done.body).toMatchObject({ attempts: 1, lastStatusCode: 204 });
  const events = await m.history(id);
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
}
