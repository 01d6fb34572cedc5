import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { eventually } from '@herald/testing';
import { CallbackReceiver, ReceivedCallback } from '../support/receiver';
import { RunningHerald, call, removeDataDir, startHerald, tempDataDir } from '../support/herald';
import { builtApp, freePort } from '../support/herald-process';

const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;
const OLD = newSecret();
const NEW = newSecret();
const UNRELATED = newSecret();

/** The headers as the receiver got them; Node joins repeated ones into one string, so each is a string. */
const headersOf = (c: ReceivedCallback) => c.headers as Record<string, string>;
/** What a receiver on the spec's own library does: verify the raw body against the headers. */
const verify = (secret: string, c: ReceivedCallback) => new Webhook(secret).verify(c.rawBody, headersOf(c));

async function defineReminder(herald: RunningHerald, body: Record<string, unknown>): Promise<{ id: string }> {
  const r = await call(`${herald.url}/api/v1/reminders`, { method: 'POST', json: body });
  expect(r.status).toBe(201);
  return r.body as { id: string };
}

const callbacksOf = (receiver: CallbackReceiver, id: string, count: number) =>
  eventually(
    () => receiver.for(id),
    (c) => c.length >= count,
    { what: `${count} callback(s) of ${id}` },
  );

/** Standard Webhooks signatures (standardwebhooks.com), checked with the spec's own npm library. */
describe('signed callbacks (all-in-one, CALLBACK_SIGNING_SECRETS=old,new, real HTTP receiver)', () => {
  let herald: RunningHerald;
  let receiver: CallbackReceiver;

  beforeAll(async () => {
    receiver = await new CallbackReceiver().start();
    herald = await startHerald({ CALLBACK_SIGNING_SECRETS: `${OLD},${NEW}`, RETRY_BASE_DELAY_MS: '100', RETRY_MAX_DELAY_MS: '400' });
  });
  afterAll(async () => {
    await herald.close();
    await receiver.stop();
    removeDataDir(herald.dataDir);
  });

  it('signs every callback with both secrets: each verifies alone, an unrelated secret does not', async () => {
    const definedFrom = Math.floor(Date.now() / 1000);
    const reminders = [
      await defineReminder(herald, { seconds: 0, address: `${receiver.url}/plain` }),
      await defineReminder(herald, {
        seconds: 0.2,
        address: `${receiver.url}/unicode`,
        payload: { note: 'café ☕ 𝄞 "quoted" \\ back', n: [1, 2.5, null] },
        headers: { Authorization: 'Bearer abc' },
      }),
      await defineReminder(herald, { dueAt: new Date(Date.now() + 300).toISOString(), address: `${receiver.url}/due-at`, payload: 'text' }),
    ];
    for (const { id } of reminders) {
      const [callback] = await callbacksOf(receiver, id, 1);
      const headers = headersOf(callback);
      expect(headers).toMatchObject({ 'webhook-id': id, 'idempotency-key': id, 'herald-reminder-id': id, 'herald-attempt': '1' });
      // The attempt's own time, in whole seconds: not before the reminder was defined, not after it arrived.
      expect(Number(headers['webhook-timestamp'])).toBe(Math.floor(Number(headers['webhook-timestamp'])));
      expect(Number(headers['webhook-timestamp'])).toBeGreaterThanOrEqual(definedFrom);
      expect(callback.at / 1000 - Number(headers['webhook-timestamp'])).toBeGreaterThanOrEqual(0);
      expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}= v1,[A-Za-z0-9+/]{43}=$/);

      expect(verify(OLD, callback)).toEqual(callback.body);
      expect(verify(NEW, callback)).toEqual(callback.body);
      expect(() => verify(UNRELATED, callback)).toThrow(WebhookVerificationError);
    }
    const withUserHeaders = receiver.for(reminders[1].id)[0];
    expect(withUserHeaders.headers.authorization).toBe('Bearer abc');
    expect(withUserHeaders.body.payload).toEqual({ note: 'café ☕ 𝄞 "quoted" \\ back', n: [1, 2.5, null] });
  });

  it('covers the body, the id and the timestamp: changing any one fails verification', async () => {
    const { id } = await defineReminder(herald, { seconds: 0, address: `${receiver.url}/tamper`, payload: { amount: 10 } });
    const [callback] = await callbacksOf(receiver, id, 1);
    expect(verify(NEW, callback)).toEqual(callback.body);
    const headers = headersOf(callback);
    const tampered = [
      { ...callback, rawBody: callback.rawBody.replace('"amount":10', '"amount":99') },
      { ...callback, rawBody: `${callback.rawBody} ` },
      { ...callback, headers: { ...headers, 'webhook-id': reminderLike(id) } },
      { ...callback, headers: { ...headers, 'webhook-timestamp': String(Number(headers['webhook-timestamp']) - 1) } },
    ];
    for (const forged of tampered) expect(() => verify(NEW, forged)).toThrow('No matching signature found');
  });

  it('retries with the same webhook-id, a fresh timestamp and a signature of the new attempt', async () => {
    let calls = 0;
    // First attempt: 500, retry no sooner than a second later (so the timestamps cannot share a second).
    receiver.on('/flaky', (_c, res) => (++calls === 1 ? res.writeHead(500, { 'Retry-After': '1' }).end('down') : res.writeHead(204).end()));
    const { id } = await defineReminder(herald, { seconds: 0, address: `${receiver.url}/flaky`, payload: { job: 'retry' } });
    const [first, second] = await callbacksOf(receiver, id, 2);
    expect([first.body.attempt, second.body.attempt]).toEqual([1, 2]);

    expect(headersOf(second)['webhook-id']).toBe(id);
    expect(headersOf(first)['webhook-id']).toBe(id);
    expect(Number(headersOf(second)['webhook-timestamp'])).toBeGreaterThan(Number(headersOf(first)['webhook-timestamp']));
    expect(headersOf(second)['webhook-signature']).not.toBe(headersOf(first)['webhook-signature']);
    for (const attempt of [first, second]) {
      expect(verify(OLD, attempt)).toEqual(attempt.body);
      expect(verify(NEW, attempt)).toEqual(attempt.body);
      expect(() => verify(UNRELATED, attempt)).toThrow(WebhookVerificationError);
    }
    // A replay of the first attempt's signature on the second's body is refused.
    expect(() => verify(NEW, { ...second, headers: { ...second.headers, 'webhook-signature': headersOf(first)['webhook-signature'] } })).toThrow(
      'No matching signature found',
    );
  });

  it("signs the callbacks of a schedule's reminder target the same way", async () => {
    const created = await call(`${herald.url}/api/v1/schedules`, {
      method: 'POST',
      json: { cron: '* * * * * *', target: { reminder: { address: `${receiver.url}/scheduled`, payload: { job: 'tick' } } } },
    });
    expect(created.status).toBe(201);
    const [callback] = await eventually(
      () => receiver.received.filter((c) => c.path === '/scheduled'),
      (c) => c.length >= 1,
      { what: 'a scheduled callback', timeoutMs: 15_000 },
    );
    await call(`${herald.url}/api/v1/schedules/${created.body.id}/pause`, { method: 'POST', json: {} });
    expect(headersOf(callback)['webhook-id']).toBe(callback.body.reminderId);
    expect(callback.body.payload).toEqual({ job: 'tick' });
    expect(verify(OLD, callback)).toEqual(callback.body);
    expect(verify(NEW, callback)).toEqual(callback.body);
    expect(() => verify(UNRELATED, callback)).toThrow(WebhookVerificationError);
  });

  it('refuses a reminder that sets a webhook header itself', async () => {
    const r = await call(`${herald.url}/api/v1/reminders`, {
      method: 'POST',
      json: { seconds: 60, address: `${receiver.url}/never`, headers: { 'Webhook-Signature': 'v1,forged' } },
    });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body.message)).toMatch(/headers.Webhook-Signature is reserved/);
  });
});

/** Zero-downtime rotation as an operator does it: add the new secret, move receivers over, drop the old one. */
describe('secret rotation across restarts', () => {
  let receiver: CallbackReceiver;
  beforeAll(async () => {
    receiver = await new CallbackReceiver().start();
  });
  afterAll(async () => {
    await receiver.stop();
  });

  /** One callback from a Herald started with `secrets`, which is then stopped. */
  async function callbackSignedWith(secrets: string): Promise<ReceivedCallback> {
    const herald = await startHerald({ CALLBACK_SIGNING_SECRETS: secrets });
    try {
      const { id } = await defineReminder(herald, { seconds: 0, address: `${receiver.url}/rotation` });
      return (await callbacksOf(receiver, id, 1))[0];
    } finally {
      await herald.close();
      removeDataDir(herald.dataDir);
    }
  }

  it('verifies with old only, then with both, then with new only', async () => {
    const before = await callbackSignedWith(OLD);
    const during = await callbackSignedWith(`${OLD},${NEW}`);
    const after = await callbackSignedWith(NEW);

    expect(verify(OLD, before)).toEqual(before.body);
    expect(() => verify(NEW, before)).toThrow(WebhookVerificationError);
    expect(verify(OLD, during)).toEqual(during.body);
    expect(verify(NEW, during)).toEqual(during.body);
    expect(() => verify(OLD, after)).toThrow(WebhookVerificationError);
    expect(verify(NEW, after)).toEqual(after.body);
  });
});

describe('unsigned callbacks (no CALLBACK_SIGNING_SECRETS)', () => {
  let herald: RunningHerald;
  let receiver: CallbackReceiver;

  beforeAll(async () => {
    receiver = await new CallbackReceiver().start();
    herald = await startHerald();
  });
  afterAll(async () => {
    await herald.close();
    await receiver.stop();
    removeDataDir(herald.dataDir);
  });

  it('still sends webhook-id and webhook-timestamp, and no webhook-signature', async () => {
    const { id } = await defineReminder(herald, { seconds: 0, address: `${receiver.url}/unsigned` });
    const [callback] = await callbacksOf(receiver, id, 1);
    expect(callback.headers['webhook-id']).toBe(id);
    expect(callback.headers['webhook-timestamp']).toMatch(/^\d+$/);
    expect(callback.headers).not.toHaveProperty('webhook-signature');
    expect(() => verify(OLD, callback)).toThrow('Missing required headers');
  });
});

describe('a malformed secret (the built all-in-one app as an OS process)', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = tempDataDir();
  });
  afterAll(() => {
    removeDataDir(dataDir);
  });

  it('stops start-up with status 2 and a message naming the variable and the bad secret, quoting no secret', async () => {
    const bad = 'not-a-whsec-secret-but-still-private';
    const { code, output } = await runToExit('all-in-one', {
      PORT: String(await freePort()),
      DATA_DIR: dataDir,
      CALLBACK_SIGNING_SECRETS: `${OLD},${bad}`,
    });
    expect(code).toBe(2);
    expect(output).toContain('CALLBACK_SIGNING_SECRETS=(value not shown): secret 2 of 2 does not start with "whsec_"');
    expect(output).not.toContain(bad);
    expect(output).not.toContain(OLD.slice('whsec_'.length));
  });
});

/** A uuid-shaped id other than `id`: a forged webhook-id. */
function reminderLike(id: string): string {
  return `${id.slice(0, -1)}${id.endsWith('0') ? '1' : '0'}`;
}

/** Runs a built app to its exit (killed and reported after a deadline), with its output. */
async function runToExit(app: string, env: Record<string, string>, timeoutMs = 20_000): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [builtApp(app)], {
    env: { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout.on('data', (d) => output.push(String(d)));
  child.stderr.on('data', (d) => output.push(String(d)));
  const deadline = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  // 'close', not 'exit': by then stdout and stderr are drained.
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  clearTimeout(deadline);
  return { code, output: output.join('') };
}
