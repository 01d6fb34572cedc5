import { eventually } from '@herald/testing';
import { RunningHerald, call, removeDataDir, startHerald } from '../support/herald';
import { HeraldProcess, freePort } from '../support/herald-process';

const KEYS = {
  ops: { id: 'ops', key: 'ops-0123456789abcdef0123', scopes: ['admin'] },
  shop: { id: 'shop', key: 'shop-0123456789abcdef012', scopes: ['read', 'write', 'work'], owner: 'shop' },
  other: { id: 'other', key: 'other-0123456789abcdef01', scopes: ['read', 'write', 'work'], owner: 'other' },
  reader: { id: 'reader', key: 'reader-0123456789abcdef0', scopes: ['read'] },
  worker: { id: 'worker', key: 'worker-0123456789abcdef0', scopes: ['work'] },
};
type Who = keyof typeof KEYS;

describe('API keys and owners', () => {
  let herald: RunningHerald;
  const as = (who: Who | null, path: string, init: Parameters<typeof call>[1] = {}) =>
    call(`${herald.url}${path}`, { ...init, headers: who ? { authorization: `Bearer ${KEYS[who].key}` } : {} });
  const REMINDER = { address: 'http://127.0.0.1:9/hook', hours: 1 };

  beforeAll(async () => {
    herald = await startHerald({ HERALD_API_KEYS: JSON.stringify(Object.values(KEYS)) });
  });

  afterAll(async () => {
    await herald.close();
    removeDataDir(herald.dataDir);
  });

  describe('who may call', () => {
    it('answers 401 with WWW-Authenticate to a call without a key or with an unknown one, and writes nothing', async () => {
      const before = herald.eventCount();
      const none = await as(null, '/api/v1/reminders', { method: 'POST', json: REMINDER });
      expect([none.status, none.headers.get('www-authenticate'), none.body.code]).toEqual([401, 'Bearer', 'Unauthenticated']);
      const unknown = await call(`${herald.url}/api/v1/reminders`, { headers: { authorization: 'Bearer not-a-key-0123456789' } });
      expect([unknown.status, unknown.headers.get('www-authenticate')]).toEqual([401, 'Bearer error="invalid_token"']);
      const basic = await call(`${herald.url}/api/v1/reminders`, { headers: { authorization: `Basic ${KEYS.ops.key}` } });
      expect(basic.status).toBe(401);
      expect(herald.eventCount()).toBe(before);
    });

    it('answers 401 before reading a body, so an unauthenticated caller never learns about limits or content types', async () => {
      const big = await call(`${herald.url}/api/v1/reminders`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: 'x'.repeat(2 * 1024 * 1024),
      });
      expect([big.status, big.body.code]).toEqual([401, 'Unauthenticated']);
    });

    it('keeps /health open', async () => {
      expect((await as(null, '/health')).status).toBe(200);
    });

    it('answers 403 naming the scope a key lacks, and writes nothing', async () => {
      const before = herald.eventCount();
      const write = await as('reader', '/api/v1/reminders', { method: 'POST', json: REMINDER });
      expect([write.status, write.body.code]).toEqual([403, 'MissingScope']);
      expect(write.body.message).toContain('write');
      expect((await as('reader', '/api/v1/reminders')).status).toBe(200);
      expect((await as('worker', '/api/v1/tasks')).status).toBe(403);
      const lease = await as('reader', '/api/v1/workers/leases', { method: 'POST', json: { workerId: 'w', types: ['t'] } });
      expect([lease.status, lease.body.message]).toEqual([403, 'API key reader lacks the work scope this call needs']);
      const metrics = await as('reader', '/metrics');
      expect([metrics.status, metrics.body.message]).toEqual([403, 'API key reader lacks the admin scope this call needs']);
      expect(herald.eventCount()).toBe(before);
    });

    it('lets admin do everything', async () => {
      expect((await fetch(`${herald.url}/metrics`, { headers: { authorization: `Bearer ${KEYS.ops.key}` } })).status).toBe(200);
      const created = await as('ops', '/api/v1/reminders', { method: 'POST', json: REMINDER });
      expect(created.status).toBe(201);
      const leased = await as('ops', '/api/v1/workers/leases', { method: 'POST', json: { workerId: 'w', types: ['nothing.here'] } });
      expect(leased.status).toBe(200);
    });
  });

  describe('owners', () => {
    it('gives what an owner-limited key creates its owner, and refuses another owner in the body', async () => {
      const created = await as('shop', '/api/v1/reminders', { method: 'POST', json: REMINDER });
      expect(created.status).toBe(201);
      const view = await eventually(
        () => as('ops', `/api/v1/reminders/${created.body.id}`),
        (r) => r.status === 200,
        { timeoutMs: 5_000, what: 'reminder view' },
      );
      expect(view.body.owner).toBe('shop');
      const before = herald.eventCount();
      const foreign = await as('shop', '/api/v1/reminders', { method: 'POST', json: { ...REMINDER, owner: 'other' } });
      expect([foreign.status, foreign.body.code]).toEqual([403, 'OwnerMismatch']);
      expect(herald.eventCount()).toBe(before);
      const same = await as('shop', '/api/v1/reminders', { method: 'POST', json: { ...REMINDER, owner: 'shop' } });
      expect(same.status).toBe(201);
    });

    it('answers 404 for another owner’s reminder, for reads and actions alike, and changes nothing', async () => {
      const { body } = await as('shop', '/api/v1/reminders', { method: 'POST', json: REMINDER });
      const path = `/api/v1/reminders/${body.id}`;
      await eventually(
        () => as('shop', path),
        (r) => r.status === 200,
        { timeoutMs: 5_000, what: 'own reminder visible' },
      );
      const stream = `reminder-${body.id}`;
      const before = herald.streamEvents(stream).length;
      for (const [method, suffix, json] of [
        ['GET', '', undefined],
        ['GET', '/events', undefined],
        ['DELETE', '', undefined],
        ['POST', '/reschedule', { minutes: 5 }],
        ['POST', '/retrigger', {}],
      ] as const) {
        const r = await as('other', `${path}${suffix}`, { method, json });
        expect([method, suffix, r.status, r.body.code]).toEqual([method, suffix, 404, 'ReminderNotFound']);
      }
      expect(herald.streamEvents(stream).length).toBe(before);
      expect((await as('shop', path)).body.status).toBe('Active');
      expect((await as('ops', path)).status).toBe(200);
    });

    it('lists only the caller’s own, refuses asking for another owner, and shows admin everything', async () => {
      const mine = await as('other', '/api/v1/reminders', { method: 'POST', json: REMINDER });
      await eventually(
        () => as('ops', `/api/v1/reminders/${mine.body.id}`),
        (r) => r.status === 200,
        { timeoutMs: 5_000, what: 'view' },
      );
      const owners = async (who: Who, query = '') => {
        const r = await as(who, `/api/v1/reminders?limit=500${query}`);
        return new Set((r.body.items as { owner: string | null }[]).map((i) => i.owner));
      };
      expect([...(await owners('other'))]).toEqual(['other']);
      expect([...(await owners('shop'))]).toEqual(['shop']);
      expect(await owners('ops')).toEqual(new Set(['shop', 'other', null]));
      expect((await as('shop', '/api/v1/reminders?owner=other')).status).toBe(403);
    });

    it('keeps tasks and schedules apart the same way', async () => {
      const task = await as('shop', '/api/v1/tasks', { method: 'POST', json: { type: 'keys.isolated' } });
      expect([task.status, task.body.owner]).toEqual([202, 'shop']);
      const foreignTask = await as('other', `/api/v1/tasks/${task.body.id}`);
      expect([foreignTask.status, foreignTask.body.code]).toEqual([404, 'TaskNotFound']);
      expect((await as('other', `/api/v1/tasks/${task.body.id}/pause`, { method: 'POST', json: {} })).status).toBe(404);
      expect((await as('other', `/api/v1/tasks/${task.body.id}/events`)).status).toBe(404);

      const schedule = await as('shop', '/api/v1/schedules', {
        method: 'POST',
        json: { cron: '0 0 1 1 *', target: { task: { type: 'keys.yearly' } } },
      });
      expect([schedule.status, schedule.body.owner, schedule.body.target.task.owner]).toEqual([201, 'shop', 'shop']);
      const id = schedule.body.id as string;
      for (const [method, suffix] of [
        ['GET', ''],
        ['GET', '/preview'],
        ['GET', '/runs'],
        ['GET', '/events'],
        ['POST', '/pause'],
        ['POST', '/trigger'],
        ['DELETE', ''],
      ] as const) {
        const r = await as('other', `/api/v1/schedules/${id}${suffix}`, { method });
        expect([method, suffix, r.status]).toEqual([method, suffix, 404]);
      }
      expect((await as('shop', `/api/v1/schedules/${id}`)).body.status).toBe('Active');
      const listed = await eventually(
        () => as('shop', '/api/v1/schedules'),
        (r) => r.body.items.length > 0,
        { timeoutMs: 5_000, what: 'schedule listed' },
      );
      expect(listed.body.items.map((s: { id: string }) => s.id)).toContain(id);
      expect((await as('other', '/api/v1/schedules')).body.items.map((s: { id: string }) => s.id)).not.toContain(id);
      const foreignTarget = await as('shop', '/api/v1/schedules', {
        method: 'POST',
        json: { cron: '0 0 1 1 *', target: { task: { type: 'keys.yearly', owner: 'other' } } },
      });
      expect(foreignTarget.status).toBe(403);
    });

    it('leases an owner-limited worker only its owner’s tasks, looking past others’ queued ahead, which stay for their workers', async () => {
      const type = 'keys.shared-type';
      // Three of another owner's tasks at the head of the type's queue (higher priority), then ours.
      const theirs = [];
      for (let i = 0; i < 3; i++) theirs.push((await as('other', '/api/v1/tasks', { method: 'POST', json: { type, priority: 9 } })).body.id);
      const ours = await as('shop', '/api/v1/tasks', { method: 'POST', json: { type } });
      const lease = (who: Who, max: number) =>
        as(who, '/api/v1/workers/leases', { method: 'POST', json: { workerId: `w-${who}`, types: [type], max, waitMs: 2_000 } });
      const shopLeases = await eventually(
        () => lease('shop', 1),
        (r) => r.body.leases?.length > 0,
        { timeoutMs: 10_000, what: 'a lease for shop' },
      );
      expect(shopLeases.body.leases.map((l: { taskId: string }) => l.taskId)).toEqual([ours.body.id]);
      for (const id of theirs) expect((await as('ops', `/api/v1/tasks/${id}`)).body.status).toBe('Queued');
      // A token of shop's lease presented with other's key: refused as not held, nothing recorded.
      const token = shopLeases.body.leases[0].token as string;
      const stolen = await as('other', `/api/v1/workers/leases/${token}/complete`, { method: 'POST', json: {} });
      expect([stolen.status, stolen.body.code]).toEqual([409, 'LeaseLost']);
      const batch = await as('other', '/api/v1/workers/reports', { method: 'POST', json: { reports: [{ token, outcome: 'fail', error: 'x' }] } });
      expect(batch.body.results[0]).toMatchObject({ ok: false, statusCode: 409, code: 'LeaseLost' });
      expect((await as('ops', `/api/v1/tasks/${ours.body.id}`)).body.status).toBe('Running');
      expect((await as('shop', `/api/v1/workers/leases/${token}/complete`, { method: 'POST', json: {} })).status).toBe(200);
      const otherLeases = await eventually(
        () => lease('other', 10),
        (r) => r.body.leases?.length > 0,
        { timeoutMs: 10_000, what: 'leases for other' },
      );
      expect(otherLeases.body.leases.map((l: { taskId: string }) => l.taskId).sort()).toEqual([...theirs].sort());
    });

    it('answers an unknown id and another owner’s alike, message included', async () => {
      const theirs = await as('other', '/api/v1/reminders', { method: 'POST', json: REMINDER });
      await eventually(
        () => as('other', `/api/v1/reminders/${theirs.body.id}`),
        (r) => r.status === 200,
        { timeoutMs: 5_000, what: 'view' },
      );
      const unknown = '00000000-0000-4000-8000-000000000000';
      const a = await as('shop', `/api/v1/reminders/${theirs.body.id}`);
      const b = await as('shop', `/api/v1/reminders/${unknown}`);
      expect([a.status, a.body.code, a.body.message.replace(theirs.body.id, '<id>')]).toEqual([
        b.status,
        b.body.code,
        b.body.message.replace(unknown, '<id>'),
      ]);
    });
  });
});

describe('the secure default', () => {
  it('refuses to start on a non-loopback address without keys, saying how to fix it', async () => {
    const herald = new HeraldProcess('all-in-one', { HOST: '0.0.0.0', PORT: String(await freePort()) });
    await expect(herald.start()).rejects.toThrow(/exited with 2[\s\S]*HOST=0\.0\.0\.0 is not a loopback address and no API keys are configured/);
  });

  it.each([
    [
      'with HERALD_AUTH=off on every interface',
      { HOST: '0.0.0.0', HERALD_AUTH: 'off' },
      /HERALD_AUTH=off: unauthenticated calls accepted on 0\.0\.0\.0/,
    ],
    [
      'without keys on loopback, the default HOST',
      { HOST: '' },
      /no API keys configured: unauthenticated calls accepted, on the loopback address 127\.0\.0\.1 only/,
    ],
  ])('starts %s, saying so in a warning', async (_, env, warning) => {
    const herald = new HeraldProcess('all-in-one', { ...env, PORT: String(await freePort()) });
    try {
      await herald.start();
      expect((await call(`${herald.url}/api/v1/reminders`)).status).toBe(200);
      expect(herald.output.join('')).toMatch(warning);
    } finally {
      await herald.stop();
    }
  });

  it('never writes a key to its log, not even a refused one', async () => {
    const herald = new HeraldProcess('all-in-one', {
      HERALD_API_KEYS: JSON.stringify([KEYS.ops]),
      LOG_LEVEL: 'debug',
      // Request logging on, as in production: every request gets a line with its headers.
      LOG_REQUESTS: 'true',
      PORT: String(await freePort()),
    });
    try {
      await herald.start();
      const base = herald.url;
      await call(`${base}/api/v1/reminders`, { headers: { authorization: `Bearer ${KEYS.ops.key}` } });
      await call(`${base}/api/v1/reminders`, { headers: { authorization: 'Bearer wrong-key-0123456789abcdef' } });
      await eventually(
        () => herald.output.join(''),
        (o) => o.includes('call without a valid API key refused') && (o.match(/"authorization":"\[redacted\]"/g) ?? []).length >= 2,
        { timeoutMs: 5_000, what: 'the refusal and both request lines logged' },
      );
      expect(herald.output.join('')).not.toContain(KEYS.ops.key);
      expect(herald.output.join('')).not.toContain('wrong-key-0123456789abcdef');
    } finally {
      await herald.stop();
    }
  });
});
