import { randomUUID } from 'node:crypto';
import { systemClock } from '@herald/kernel';
import { SqliteEventStore } from '@herald/event-store';
import { loadConfig, openSqlite } from '@herald/platform';
import { CommandRunner } from '@herald/runtime';
import { DueEntry } from '@herald/scheduling';
import { reminderStream } from '../domain';
import { REMINDER } from '../reminder-aggregate';
import { pendingCallback } from '../scheduling/reminder-callbacks.projection';
import { FireCallbackController } from './fire-callback.controller';
import { CallbackOutcome, CallbackRequest, HttpCallbackSender } from './http-callback-sender';

/** A receiver that answers as told and records what it was sent; `during` runs while the POST is "in flight". */
class ScriptedSender {
  readonly sent: CallbackRequest[] = [];
  outcome: CallbackOutcome = { ok: true, statusCode: 204 };
  during: () => Promise<void> = async () => undefined;
  async send(request: CallbackRequest): Promise<CallbackOutcome> {
    this.sent.push(request);
    await this.during();
    return this.outcome;
  }
}

describe('FireCallbackController (a callbacks entry → POST → outcome in the log)', () => {
  const store = new SqliteEventStore(openSqlite(':memory:'), systemClock);
  const commands = new CommandRunner(store);
  const config = loadConfig({ RETRY_BASE_DELAY_MS: '1000', RETRY_MAX_DELAY_MS: '1000' });
  let sender: ScriptedSender;
  let controller: FireCallbackController;
  let reminderId: string;
  /** The entry the scheduler holds for the reminder now, as the transport would deliver it. */
  const entry = async (): Promise<DueEntry> => {
    const planned = pendingCallback(await store.readStream(reminderStream(reminderId)));
    if (!planned) throw new Error('no callback planned');
    return planned;
  };
  const types = async () => (await store.readStream(reminderStream(reminderId))).map((e) => e.type);

  beforeEach(async () => {
    sender = new ScriptedSender();
    controller = new FireCallbackController(commands, store, sender as unknown as HttpCallbackSender, systemClock, config);
    reminderId = randomUUID();
    const now = new Date();
    await commands.run(REMINDER, reminderId, {
      type: 'DefineReminder',
      reminderId,
      dueAt: now,
      address: 'http://127.0.0.1:9/hook',
      payload: { n: 1 },
      headers: { 'X-A': 'b' },
      maxAttempts: 2,
      timeoutMs: 1_000,
      now,
    });
  });

  it('POSTs the pending attempt with its payload and headers, and records the completion', async () => {
    await controller.handle(await entry());
    expect(sender.sent).toEqual([expect.objectContaining({ reminderId, attempt: 1, payload: { n: 1 }, headers: { 'X-A': 'b' } })]);
    expect(await types()).toEqual(['ReminderDefined', 'ReminderCompleted']);
  });

  it("POSTs in the trace of the reminder's definition, a span per attempt, and files the outcome under that span", async () => {
    const traced = randomUUID();
    const defined = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const now = new Date();
    await commands.run(
      REMINDER,
      traced,
      {
        type: 'DefineReminder',
        reminderId: traced,
        dueAt: now,
        address: 'http://127.0.0.1:9/hook',
        payload: null,
        headers: {},
        maxAttempts: 2,
        timeoutMs: 1_000,
        now,
      },
      { traceparent: defined },
    );
    sender.outcome = { ok: false, statusCode: 503, error: 'HTTP 503', retryAfterMs: null };
    await controller.handle(pendingCallback(await store.readStream(reminderStream(traced)))!);
    sender.outcome = { ok: true, statusCode: 204 };
    await controller.handle(pendingCallback(await store.readStream(reminderStream(traced)))!);

    const [first, second] = sender.sent.map((c) => c.traceparent);
    expect(first).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(second).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(new Set([defined, first, second]).size).toBe(3);
    const stored = await store.readStream(reminderStream(traced));
    expect(stored.map((e) => [e.type, e.metadata.traceparent])).toEqual([
      ['ReminderDefined', defined],
      ['CallbackAttemptFailed', first],
      ['ReminderCompleted', second],
    ]);
  });

  it('starts a trace of its own for a reminder defined outside any (or before Herald traced)', async () => {
    await controller.handle(await entry());
    expect(sender.sent[0].traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect((await store.readStream(reminderStream(reminderId)))[0].metadata.traceparent).toBeUndefined();
  });

  it('records a failed attempt with the time of the next one', async () => {
    sender.outcome = { ok: false, statusCode: 503, error: 'HTTP 503', retryAfterMs: null };
    await controller.handle(await entry());
    const [, failed] = await store.readStream(reminderStream(reminderId));
    expect(failed).toMatchObject({ type: 'CallbackAttemptFailed', data: { attempt: 1, statusCode: 503 } });
    expect(Date.parse((failed.data as { nextAttemptAt: string }).nextAttemptAt)).toBeGreaterThan(Date.now());
  });

  it('drops a stale entry without calling the receiver: an attempt already recorded, or one the reminder never planned', async () => {
    const first = await entry();
    await controller.handle({ ...first, sequence: first.sequence + 2 }); // not the plan the stream holds
    await controller.handle(first);
    await controller.handle(first); // redelivered after its outcome landed
    expect(sender.sent).toHaveLength(1);
    expect(await types()).toEqual(['ReminderDefined', 'ReminderCompleted']);
  });

  it("drops a failed attempt's entry once the retry is planned, and POSTs the retry as attempt 2", async () => {
    sender.outcome = { ok: false, statusCode: 503, error: 'HTTP 503', retryAfterMs: null };
    const first = await entry();
    await controller.handle(first);
    sender.outcome = { ok: true, statusCode: 204 };
    await controller.handle(first); // redelivered: attempt 1 is recorded
    expect(sender.sent).toHaveLength(1);
    await controller.handle(await entry());
    expect(sender.sent.map((r) => r.attempt)).toEqual([1, 2]);
    expect(await types()).toEqual(['ReminderDefined', 'CallbackAttemptFailed', 'ReminderCompleted']);
  });

  it('drops the entry of the time a reminder was rescheduled away from, and fires the new one with the new dueAt', async () => {
    const old = await entry();
    const dueAt = new Date(Date.now() + 60_000);
    await commands.run(REMINDER, reminderId, { type: 'RescheduleReminder', reminderId, dueAt, now: new Date() });
    await controller.handle(old); // the old time's message, already with the transport
    expect(sender.sent).toEqual([]);
    const moved = await entry();
    expect(moved).toMatchObject({ sequence: old.sequence + 1, dueAt: dueAt.getTime() });
    await controller.handle(moved);
    expect(sender.sent).toEqual([expect.objectContaining({ attempt: 1, dueAt: dueAt.toISOString() })]);
    expect(await types()).toEqual(['ReminderDefined', 'ReminderRescheduled', 'ReminderCompleted']);
  });

  it("records a retriggered reminder's attempt 1 as a new outcome, not as the first run's", async () => {
    sender.outcome = { ok: false, statusCode: 500, error: 'HTTP 500', retryAfterMs: null };
    await controller.handle(await entry());
    const lastOfFirstRun = await entry();
    await controller.handle(lastOfFirstRun); // maxAttempts 2: the reminder fails
    await commands.run(REMINDER, reminderId, { type: 'RetriggerReminder', reminderId, now: new Date() });
    await controller.handle(lastOfFirstRun); // a late duplicate of the first run's message
    expect(sender.sent.map((r) => r.attempt)).toEqual([1, 2]);
    sender.outcome = { ok: true, statusCode: 204 };
    await controller.handle(await entry());
    expect(sender.sent.map((r) => r.attempt)).toEqual([1, 2, 1]);
    expect(await types()).toEqual([
      'ReminderDefined',
      'CallbackAttemptFailed',
      'CallbackAttemptFailed',
      'ReminderFailed',
      'ReminderRetriggered',
      'ReminderCompleted',
    ]);
    // Event ids derive from the command id: the new run's outcome must not reuse the first run's.
    const ids = (await store.readStream(reminderStream(reminderId))).map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('drops its outcome, without throwing, when the reminder was cancelled while the POST ran', async () => {
    sender.during = async () => void (await commands.run(REMINDER, reminderId, { type: 'CancelReminder', reminderId, now: new Date() }));
    await expect(controller.handle(await entry())).resolves.toBeUndefined();
    expect(await types()).toEqual(['ReminderDefined', 'ReminderCancelled']);
  });

  it('throws when the log is unavailable, so that the transport delivers the entry again', async () => {
    const failing = new FireCallbackController(
      { load: commands.load.bind(commands), run: async () => Promise.reject(new Error('disk I/O error')) } as unknown as CommandRunner,
      store,
      sender as unknown as HttpCallbackSender,
      systemClock,
      config,
    );
    await expect(failing.handle(await entry())).rejects.toThrow('disk I/O error');
  });
});
