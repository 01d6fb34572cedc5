import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { RabbitMqDelayedDelivery } from '@herald/scheduling';
import { RABBITMQ_TEST_URL } from '@herald/testing';
import { RunningHerald, call, removeDataDir, startHerald, tempDataDir } from '../support/herald';
import { HeraldProcess, freePort } from '../support/herald-process';

const REMINDER = { address: 'http://127.0.0.1:9/hook', hours: 1, payload: { order: 42 } };
const post = (url: string, path: string, json: unknown, key?: string) =>
  call(`${url}${path}`, { method: 'POST', json, headers: key === undefined ? {} : { 'idempotency-key': key } });

describe('Idempotency-Key', () => {
  let herald: RunningHerald;

  beforeAll(async () => {
    herald = await startHerald();
  });

  afterAll(async () => {
    await herald.close();
    removeDataDir(herald.dataDir);
  });

  it.each([
    ['reminders', '/api/v1/reminders', REMINDER, 201],
    ['tasks', '/api/v1/tasks', { type: 'idem.report', params: { month: '2026-11' } }, 202],
    ['schedules', '/api/v1/schedules', { cron: '0 9 * * *', target: { task: { type: 'idem.daily' } } }, 201],
  ])('%s: the same key and body answer as the first time, creating nothing more', async (_, path, body, status) => {
    const key = randomUUID();
    const first = await post(herald.url, path, body, key);
    expect(first.status).toBe(status);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const before = herald.eventCount();
    // Fields in another order are the same request.
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const again = await post(herald.url, path, reordered, key);
    expect([again.status, again.body.id, again.headers.get('location'), again.headers.get('idempotent-replayed')]).toEqual([
      status,
      first.body.id,
      first.headers.get('location'),
      'true',
    ]);
    expect(herald.eventCount()).toBe(before);
  });

  it('refuses the same key with a different body (422) and writes nothing', async () => {
    const key = randomUUID();
    expect((await post(herald.url, '/api/v1/reminders', REMINDER, key)).status).toBe(201);
    const before = herald.eventCount();
    const other = await post(herald.url, '/api/v1/reminders', { ...REMINDER, payload: { order: 43 } }, key);
    expect([other.status, other.body.code]).toEqual([422, 'IdempotencyKeyReused']);
    expect(herald.eventCount()).toBe(before);
  });

  it('keeps keys of different kinds apart, and creates anew without a key', async () => {
    const key = randomUUID();
    const reminder = await post(herald.url, '/api/v1/reminders', REMINDER, key);
    const task = await post(herald.url, '/api/v1/tasks', { type: 'idem.other-kind' }, key);
    expect(task.status).toBe(202);
    expect(task.body.id).not.toBe(reminder.body.id);
    const a = await post(herald.url, '/api/v1/reminders', REMINDER);
    const b = await post(herald.url, '/api/v1/reminders', REMINDER);
    expect(a.body.id).not.toBe(b.body.id);
  });

  it('writes nothing for a request the domain refused, and keeps the key free for a corrected one', async () => {
    const key = randomUUID();
    const before = herald.eventCount();
    // Valid for the DTO, refused by the decider (due more than 24 h in the past).
    const refused = await post(herald.url, '/api/v1/reminders', { ...REMINDER, hours: undefined, dueAt: '2020-01-01T00:00:00Z' }, key);
    expect(refused.status).toBe(400);
    expect(herald.eventCount()).toBe(before);
    const corrected = await post(herald.url, '/api/v1/reminders', REMINDER, key);
    expect([corrected.status, corrected.headers.get('idempotent-replayed')]).toEqual([201, null]);
  });

  it('refuses a malformed key with a 400 saying what a key is, and writes nothing', async () => {
    const before = herald.eventCount();
    for (const key of ['', 'x'.repeat(256), 'café']) {
      const r = await post(herald.url, '/api/v1/reminders', REMINDER, key);
      expect([r.status, r.body.code]).toEqual([400, 'InvalidIdempotencyKey']);
    }
    expect(herald.eventCount()).toBe(before);
  });

  it('holds across a restart', async () => {
    const dataDir = tempDataDir();
    const key = randomUUID();
    let first: Awaited<ReturnType<typeof call>>;
    const a = await startHerald({}, dataDir);
    try {
      first = await post(a.url, '/api/v1/reminders', REMINDER, key);
      expect(first.status).toBe(201);
    } finally {
      await a.close();
    }
    const b = await startHerald({}, dataDir);
    try {
      const again = await post(b.url, '/api/v1/reminders', REMINDER, key);
      expect([again.status, again.body.id, again.headers.get('idempotent-replayed')]).toEqual([201, first.body.id, 'true']);
    } finally {
      await b.close();
      removeDataDir(dataDir);
    }
  });
});

describe('Idempotency-Key across two command-API processes', () => {
  const dataDir = tempDataDir();
  const prefix = `herald-e2e-${randomUUID().slice(0, 8)}`;
  const apis: HeraldProcess[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const env = { DATA_DIR: dataDir, RABBITMQ_URL: RABBITMQ_TEST_URL, RABBITMQ_PREFIX: prefix, LOG_LEVEL: 'warn', PORT: String(await freePort()) };
      apis.push(new HeraldProcess('command-api', env));
    }
    await apis[0].start(); // creates the schema before the other opens the file
    await apis[1].start();
  });

  afterAll(async () => {
    await Promise.all(apis.map((p) => p.stop()));
    removeDataDir(dataDir);
    await RabbitMqDelayedDelivery.deletePrefix(RABBITMQ_TEST_URL, prefix, ['callbacks', 'task-starts', 'task-leases', 'schedule-occurrences']);
  });

  const reminderStreams = () => {
    const db = new Database(join(dataDir, 'herald.sqlite'), { readonly: true });
    try {
      return (db.prepare("SELECT COUNT(DISTINCT stream) AS n FROM events WHERE stream LIKE 'reminder-%'").get() as { n: number }).n;
    } finally {
      db.close();
    }
  };

  it('replays on one process what the other created', async () => {
    const key = randomUUID();
    const first = await post(apis[0].url, '/api/v1/reminders', REMINDER, key);
    const again = await post(apis[1].url, '/api/v1/reminders', REMINDER, key);
    expect([first.status, again.status, again.body.id, again.headers.get('idempotent-replayed')]).toEqual([201, 201, first.body.id, 'true']);
  });

  it('creates one reminder for a burst of the same request on both processes at once: 201s with it, or 409 while it is in flight', async () => {
    const key = randomUUID();
    const before = reminderStreams();
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => post(apis[i % 2].url, '/api/v1/reminders', REMINDER, key)));
    const created = answers.filter((a) => a.status === 201);
    const inFlight = answers.filter((a) => a.status === 409);
    // A request that met the first between its two appends is told to retry; every other one answers the one reminder.
    expect(created.length + inFlight.length).toBe(answers.length);
    expect(inFlight.map((a) => [a.body.code, a.headers.get('retry-after')])).toEqual(inFlight.map(() => ['IdempotencyKeyInFlight', '1']));
    expect(new Set(created.map((a) => `${a.body.id} ${a.headers.get('location')}`)).size).toBe(1);
    // Exactly one request recorded the key's use; any other 201 replays it.
    expect(created.filter((a) => a.headers.get('idempotent-replayed') === null)).toHaveLength(1);
    expect(reminderStreams()).toBe(before + 1);

    // Once the burst is answered nothing is in flight: a retry of a 409 gets the reminder, replayed.
    const retry = await post(apis[1].url, '/api/v1/reminders', REMINDER, key);
    expect([retry.status, retry.body.id, retry.headers.get('idempotent-replayed')]).toEqual([201, created[0].body.id, 'true']);
    expect(reminderStreams()).toBe(before + 1);
  });
});
