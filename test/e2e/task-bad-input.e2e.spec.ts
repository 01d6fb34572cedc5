import { RunningHerald, call, removeDataDir, startHerald } from '../support/herald';

/** Every bad input to the task and worker endpoints is a 400 naming the field and the rule, and writes nothing. */
describe('bad input to the task and worker endpoints', () => {
  let herald: RunningHerald;
  beforeAll(async () => {
    herald = await startHerald({ PAYLOAD_MAX_BYTES: '1024' });
  });
  afterAll(async () => {
    await herald.close();
    removeDataDir(herald.dataDir);
  });

  /** Posts `body` and checks the answer is a 400 matching `message` that left the log as it was. */
  async function rejected(path: string, body: unknown, message: RegExp) {
    const before = herald.eventCount();
    const r = await call(`${herald.url}${path}`, { method: 'POST', json: body });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body.message)).toMatch(message);
    expect(herald.eventCount()).toBe(before);
  }

  it.each([
    ['a missing type', {}, /type must be 1-100 characters/],
    ['a type with spaces', { type: 'send email' }, /type must be 1-100 characters of A-Z a-z 0-9 . _ : -/],
    ['a type too long', { type: 'x'.repeat(101) }, /type must be 1-100 characters/],
    ['oversized params', { type: 't', params: { blob: 'x'.repeat(2_000) } }, /params must serialise to at most 1024 bytes/],
    ['an owner too long', { type: 't', owner: 'o'.repeat(201) }, /owner/],
    ['tags that are not a list', { type: 't', tags: 'a,b' }, /tags must be an array/],
    ['too many tags', { type: 't', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, /tags must be an array of at most 20/],
    ['a priority of 10', { type: 't', priority: 10 }, /priority must be an integer from 0 to 9/],
    ['a fractional priority', { type: 't', priority: 1.5 }, /priority must be an integer from 0 to 9/],
    ['a runAt that is not a date', { type: 't', runAt: 'soon' }, /runAt must be an ISO-8601 date-time/],
    ['a runAt days in the past', { type: 't', runAt: '2020-01-01T00:00:00Z' }, /runAt/],
    ['zero attempts', { type: 't', maxAttempts: 0 }, /maxAttempts must be an integer from 1 to 50/],
    ['a heartbeat timeout under a second', { type: 't', heartbeatTimeoutMs: 999 }, /heartbeatTimeoutMs must be an integer from 1000 to 600000/],
    ['an unknown field', { type: 't', prio: 3 }, /property prio should not exist/],
  ])('POST /api/v1/tasks rejects %s', (_name, body, message) => rejected('/api/v1/tasks', body, message));

  it.each([
    ['a missing workerId', { types: ['t'] }, /workerId/],
    ['no types', { workerId: 'w', types: [] }, /types must contain at least 1 elements/],
    ['a bad type', { workerId: 'w', types: ['a b'] }, /types: type must be 1-100 characters/],
    ['max 0', { workerId: 'w', types: ['t'], max: 0 }, /max must not be less than 1/],
    ['max 101', { workerId: 'w', types: ['t'], max: 101 }, /max must not be greater than 100/],
    ['a wait over 30 s', { workerId: 'w', types: ['t'], waitMs: 30_001 }, /waitMs must not be greater than 30000/],
  ])('POST /api/v1/workers/leases rejects %s', (_name, body, message) => rejected('/api/v1/workers/leases', body, message));

  const TOKEN = '9d1e3a52-4e0b-4b8a-9a43-0c5e5d0c1f00.secret';
  it.each([
    ['no reports', { reports: [] }, /reports must contain at least 1 elements/],
    [
      'more than 100',
      { reports: Array.from({ length: 101 }, () => ({ token: TOKEN, outcome: 'complete' })) },
      /reports must contain no more than 100/,
    ],
    ['an unknown outcome', { reports: [{ token: TOKEN, outcome: 'done' }] }, /outcome must be one of complete, fail, release/],
    ['a fail without an error', { reports: [{ token: TOKEN, outcome: 'fail' }] }, /error must be longer than or equal to 1 characters/],
    [
      'a field of another outcome',
      { reports: [{ token: TOKEN, outcome: 'complete', checkpoint: 1 }] },
      /a complete report takes result, not checkpoint/,
    ],
    ['a missing token', { reports: [{ outcome: 'complete' }] }, /token must be longer than or equal to 1 characters/],
  ])('POST /api/v1/workers/reports rejects %s', (_name, body, message) => rejected('/api/v1/workers/reports', body, message));

  it('refuses only the oversized report of a batch (400 in its result), records the others, and writes nothing for it', async () => {
    const type = 'bad-input.batch';
    const id = (await call(`${herald.url}/api/v1/tasks`, { method: 'POST', json: { type } })).body.id;
    const lease = await call(`${herald.url}/api/v1/workers/leases`, { method: 'POST', json: { workerId: 'w', types: [type], waitMs: 5_000 } });
    const { token } = lease.body.leases[0];
    const before = herald.eventCount();
    const r = await call(`${herald.url}/api/v1/workers/reports`, {
      method: 'POST',
      json: {
        reports: [
          { token, outcome: 'release', checkpoint: 'x'.repeat(2_000) },
          { token: TOKEN, outcome: 'complete' },
        ],
      },
    });
    expect(r.status).toBe(200);
    expect(r.body.results).toEqual([
      {
        token,
        ok: false,
        statusCode: 400,
        code: 'ValidationFailed',
        message: expect.stringMatching(/checkpoint must serialise to at most 1024 bytes/),
      },
      { token: TOKEN, ok: false, statusCode: 409, code: 'LeaseLost', message: expect.any(String) },
    ]);
    expect(herald.eventCount()).toBe(before);
    expect((await call(`${herald.url}/api/v1/tasks/${id}`)).body.status).toBe('Running');
  });

  it('rejects a fail report without an error, and an oversized checkpoint, before looking at the lease', async () => {
    const token = '9d1e3a52-4e0b-4b8a-9a43-0c5e5d0c1f00.secret';
    await rejected(`/api/v1/workers/leases/${token}/fail`, {}, /error must be longer than or equal to 1 characters/);
    await rejected(`/api/v1/workers/leases/${token}/heartbeat`, { checkpoint: 'x'.repeat(2_000) }, /checkpoint must serialise to at most 1024 bytes/);
  });

  it('rejects a reason that is too long and a list query it cannot read', async () => {
    const id = (await call(`${herald.url}/api/v1/tasks`, { method: 'POST', json: { type: 't' } })).body.id;
    await rejected(`/api/v1/tasks/${id}/pause`, { reason: 'r'.repeat(1_001) }, /reason/);
    for (const [query, message] of [
      ['status=Sleeping', /status must be a comma-separated list of Queued/],
      ['order=priority', /order must be createdAt or updatedAt/],
      ['createdAfter=yesterday', /createdAfter must be an ISO-8601 date-time/],
      ['limit=0', /limit must not be less than 1/],
      ['cursor=abc', /cursor is not one this service issued/],
    ] as const) {
      const r = await call(`${herald.url}/api/v1/tasks?${query}`);
      expect([r.status, JSON.stringify(r.body.message)]).toEqual([400, expect.stringMatching(message)]);
    }
  });

  it('answers a token it never issued, or one whose task does not exist, with 409 LeaseLost', async () => {
    for (const token of ['not-a-token', '9d1e3a52-4e0b-4b8a-9a43-0c5e5d0c1f00.secret']) {
      const r = await call(`${herald.url}/api/v1/workers/leases/${token}/complete`, { method: 'POST', json: {} });
      expect([r.status, r.body.code]).toEqual([409, 'LeaseLost']);
    }
  });
});
