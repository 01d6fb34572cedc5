import { randomUUID } from 'node:crypto';
import { systemClock } from '@herald/kernel';
import { SqliteEventStore } from '@herald/event-store';
import { loadConfig, openSqlite } from '@herald/platform';
import { CommandRunner } from '@herald/runtime';
import { reminderStream } from '../domain';
import { REMINDER } from '../reminder-aggregate';
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
  const entry = (attempt = 1) => ({ topic: 'callbacks', key: reminderId, sequence: attempt, dueAt: Date.now() });
  const types = async () => (await store.readStream(reminderStream(reminderId))).map((e) => e.type);

  beforeEach(async () => {
    sender = new ScriptedSender();
    controller = new FireCallbackController(commands, sender as unknown as HttpCallbackSender, systemClock, config);
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
    await controller.handle(entry());
    expect(sender.sent).toEqual([expect.objectContaining({ reminderId, attempt: 1, payload: { n: 1 }, headers: { 'X-A': 'b' } })]);
    expect(await types()).toEqual(['ReminderDefined', 'ReminderCompleted']);
  });

  it('records a failed attempt with the time of the next one', async () => {
    sender.outcome = { ok: false, statusCode: 503, error: 'HTTP 503', retryAfterMs: null };
    await controller.handle(entry());
    const [, failed] = await store.readStream(reminderStream(reminderId));
    expect(failed).toMatchObject({ type: 'CallbackAttemptFailed', data: { attempt: 1, statusCode: 503 } });
    expect(Date.parse((failed.data as { nextAttemptAt: string }).nextAttemptAt)).toBeGreaterThan(Date.now());
  });

  it('drops a stale entry without calling the receiver: an attempt already recorded, or one not yet due', async () => {
    await controller.handle(entry());
    await controller.handle(entry()); // redelivered after its outcome landed
    await controller.handle(entry(3)); // an attempt the reminder is not waiting for
    expect(sender.sent).toHaveLength(1);
    expect(await types()).toEqual(['ReminderDefined', 'ReminderCompleted']);
  });

  it('drops its outcome, without throwing, when the reminder was cancelled while the POST ran', async () => {
    sender.during = async () => void (await commands.run(REMINDER, reminderId, { type: 'CancelReminder', reminderId, now: new Date() }));
    await expect(controller.handle(entry())).resolves.toBeUndefined();
    expect(await types()).toEqual(['ReminderDefined', 'ReminderCancelled']);
  });

  it('throws when the log is unavailable, so that the transport delivers the entry again', async () => {
    const failing = new FireCallbackController(
      { load: commands.load.bind(commands), run: async () => Promise.reject(new Error('disk I/O error')) } as unknown as CommandRunner,
      sender as unknown as HttpCallbackSender,
      systemClock,
      config,
    );
    await expect(failing.handle(entry())).rejects.toThrow('disk I/O error');
  });
});
