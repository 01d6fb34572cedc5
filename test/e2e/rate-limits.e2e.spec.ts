import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { REDIS_TEST_URL, eventually, serverAvailable } from '@herald/testing';
import { RunningHerald, call, removeDataDir, startHerald } from '../support/herald';

type Answer = Awaited<ReturnType<typeof call>>;

const REMINDER = { address: 'http://127.0.0.1:9/hook', hours: 1 };
/** One key per test, so that no test spends another's budget. */
const KEY_IDS = ['refused', 'b', 'c', 'worker', 'retry', 'health'] as const;
const KEYS = KEY_IDS.map((id) => ({ id, key: `${id}-key-0123456789abcdef`, scopes: ['read', 'write', 'work'] }));
const bearer = (id: (typeof KEY_IDS)[number] | 'shared') => ({ authorization: `Bearer ${id}-key-0123456789abcdef` });

const statuses = (answers: Answer[]) => answers.map((a) => a.status).sort((x, y) => x - y);
const times = <T>(n: number, f: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => f(i)));

/** A refusal as every client sees it: 429, Retry-After in whole seconds, the common error body naming the knob. */
function expectRateLimited(answer: Answer, knob: string, who: string): void {
  expect(answer.status).toBe(429);
  expect(answer.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
  expect(answer.body).toEqual({ statusCode: 429, error: 'Too Many Requests', code: 'RateLimited', message: expect.any(String) });
  expect(answer.body.message).toContain(who);
  expect(answer.body.message).toContain(knob);
}

/** Starts Heralds for one describe, each with its own env, and closes them all after it. */
function heraldsOfThisDescribe(): (env: Record<string, string>) => Promise<RunningHerald> {
  const heralds: RunningHerald[] = [];
  afterAll(async () => {
    for (const herald of heralds) {
      await herald.close();
      removeDataDir(herald.dataDir);
    }
  });
  return async (env) => {
    const herald = await startHerald(env);
    heralds.push(herald);
    return herald;
  };
}

describe('rate limits per API key', () => {
  let herald: RunningHerald;
  const define = (id: (typeof KEY_IDS)[number]) => call(`${herald.url}/api/v1/reminders`, { method: 'POST', json: REMINDER, headers: bearer(id) });

  beforeAll(async () => {
    herald = await startHerald({
      HERALD_API_KEYS: JSON.stringify(KEYS),
      RATE_LIMIT_PER_SECOND: '2',
      RATE_LIMIT_BURST: '3',
      RATE_LIMIT_WORKER_PER_SECOND: '2',
      RATE_LIMIT_WORKER_BURST: '3',
    });
  });

  afterAll(async () => {
    await herald.close();
    removeDataDir(herald.dataDir);
  });

  it('answers calls past the burst with 429, Retry-After and the error shape, and writes nothing for them', async () => {
    const before = herald.eventCount();
    const answers = await times(8, () => define('refused'));
    expect(statuses(answers)).toEqual([201, 201, 201, 429, 429, 429, 429, 429]);
    for (const refused of answers.filter((a) => a.status === 429)) {
      expectRateLimited(refused, 'RATE_LIMIT_BURST=3', 'API key refused');
      expect(refused.headers.get('retry-after')).toBe('1'); // the burst window is a second long
    }
    // Exactly the accepted reminders' events were written: none for the refused calls.
    const written = answers.filter((a) => a.status === 201).flatMap((a) => herald.streamEvents(`reminder-${a.body.id}`));
    expect(written.map((e) => e.type)).toEqual(['ReminderDefined', 'ReminderDefined', 'ReminderDefined']);
    expect(herald.eventCount()).toBe(before + written.length);
  });

  it('serves a refused client again once its Retry-After has passed', async () => {
    const first = await times(4, () => define('retry'));
    expect(statuses(first)).toEqual([201, 201, 201, 429]);
    const again = await eventually(
      () => define('retry'),
      (a) => a.status !== 429,
      { timeoutMs: 5_000, intervalMs: 100, what: 'served after Retry-After' },
    );
    expect(again.status).toBe(201);
  });

  it('gives every key its own budget', async () => {
    // At once: one shared budget would let 3 of the 7 through, two budgets let 3 of each.
    const [b, c] = await Promise.all([times(4, () => define('b')), times(3, () => define('c'))]);
    expect(statuses(b)).toEqual([201, 201, 201, 429]);
    expect(statuses(c)).toEqual([201, 201, 201]);
    expectRateLimited(
      b.find((a) => a.status === 429)!,
      'RATE_LIMIT_BURST',
      'API key b',
    );
  });

  it('counts the worker protocol apart from the API, with its own limit', async () => {
    const before = herald.eventCount();
    const lease = () =>
      call(`${herald.url}/api/v1/workers/leases`, {
        method: 'POST',
        json: { workerId: 'rate-worker', types: ['rate.limits.none'], waitMs: 0 },
        headers: bearer('worker'),
      });
    const list = () => call(`${herald.url}/api/v1/reminders`, { headers: bearer('worker') });
    // At once, by one key: one shared budget would let 3 of the 9 through.
    const [api, work] = await Promise.all([times(4, list), times(5, lease)]);
    expect(statuses(api)).toEqual([200, 200, 200, 429]);
    expect(statuses(work)).toEqual([200, 200, 200, 429, 429]);
    expectRateLimited(
      api.find((a) => a.status === 429)!,
      'RATE_LIMIT_BURST=3',
      'API key worker',
    );
    const refusedWork = work.find((a) => a.status === 429)!;
    expectRateLimited(refusedWork, 'RATE_LIMIT_WORKER_BURST=3', 'API key worker');
    expect(refusedWork.body.message).toContain('worker protocol calls');
    expect(herald.eventCount()).toBe(before);
  });

  it('never limits /health, not even for a client that is limited', async () => {
    const limited = await times(4, () => define('health'));
    expect(statuses(limited)).toContain(429);
    const probes = await times(20, () => call(`${herald.url}/health`, { headers: bearer('health') }));
    expect(statuses(probes)).toEqual(Array(20).fill(200));
  });
});

describe('rate limits per client address (no API keys)', () => {
  const start = heraldsOfThisDescribe();

  it('counts behind a TRUST_PROXY proxy per forwarded address, refuses past the sustained rate, and keeps /health open', async () => {
    // A sustained limit (1 a second over 10 s: 10) below the burst (15), so the rate is what refuses.
    const herald = await start({ RATE_LIMIT_PER_SECOND: '1', RATE_LIMIT_BURST: '15', TRUST_PROXY: '127.0.0.1' });
    const from = (address: string) => () => call(`${herald.url}/api/v1/reminders`, { headers: { 'x-forwarded-for': address } });
    const limited = await times(12, from('203.0.113.7'));
    expect(statuses(limited)).toEqual([...Array(10).fill(200), 429, 429]);
    const refused = limited.find((a) => a.status === 429)!;
    expectRateLimited(refused, 'RATE_LIMIT_PER_SECOND=1', 'address 203.0.113.7');
    expect(refused.body.message).toContain('more than 10 calls within 10 s');
    // Blocked for the rest of the 10 s window: Retry-After says most of it.
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(5);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(10);
    // Another address behind the same proxy has its own budget.
    expect((await from('203.0.113.8')()).status).toBe(200);
    // And the limited one's probes still answer.
    const probes = await times(10, () => call(`${herald.url}/health`, { headers: { 'x-forwarded-for': '203.0.113.7' } }));
    expect(statuses(probes)).toEqual(Array(10).fill(200));
  });

  it('ignores X-Forwarded-For from a connection that is not a trusted proxy: it cannot buy a fresh budget', async () => {
    const herald = await start({ RATE_LIMIT_PER_SECOND: '2', RATE_LIMIT_BURST: '3' });
    const answers = await times(6, (i) => call(`${herald.url}/api/v1/reminders`, { headers: { 'x-forwarded-for': `198.51.100.${i + 1}` } }));
    expect(statuses(answers)).toEqual([200, 200, 200, 429, 429, 429]);
    expectRateLimited(
      answers.find((a) => a.status === 429)!,
      'RATE_LIMIT_BURST=3',
      'address 127.0.0.1',
    );
  });
});

describe('a budget of its own for /health (RATE_LIMIT_HEALTH_PER_SECOND)', () => {
  const start = heraldsOfThisDescribe();

  describe('per client address, next to an API budget on the same address', () => {
    let herald: RunningHerald;
    // Every test its own forwarded address, so none spends another's budgets.
    const as = (address: string) => ({ 'x-forwarded-for': address });
    const probe = (address: string) => () => call(`${herald.url}/health`, { headers: as(address) });
    const list = (address: string) => () => call(`${herald.url}/api/v1/reminders`, { headers: as(address) });

    beforeAll(async () => {
      // API: bursts of 3; /health: 2 a second, bursts of 4. Without keys both count the same address: only the budget tells them apart.
      herald = await start({ RATE_LIMIT_PER_SECOND: '2', RATE_LIMIT_BURST: '3', RATE_LIMIT_HEALTH_PER_SECOND: '2', TRUST_PROXY: '127.0.0.1' });
    });

    it('refuses /health past its budget with 429 and Retry-After, and leaves the API budget of that address whole', async () => {
      const probes = await times(7, probe('203.0.113.20'));
      expect(statuses(probes)).toEqual([200, 200, 200, 200, 429, 429, 429]);
      const refused = probes.find((a) => a.status === 429)!;
      expectRateLimited(refused, 'twice RATE_LIMIT_HEALTH_PER_SECOND=2', 'address 203.0.113.20');
      expect(refused.body.message).toContain('more than 4 /health calls within 1 s');
      expect(refused.body.message).toMatch(/raise RATE_LIMIT_HEALTH_PER_SECOND$/);
      expect(refused.headers.get('retry-after')).toBe('1');
      // The API's whole burst (3) still passes: not one of the 7 probes spent it.
      expect(statuses(await times(3, list('203.0.113.20')))).toEqual([200, 200, 200]);
    });

    it('answers every probe of an address past its API budget, up to the health budget', async () => {
      const api = await times(6, list('203.0.113.21'));
      expect(statuses(api)).toEqual([200, 200, 200, 429, 429, 429]);
      expectRateLimited(
        api.find((a) => a.status === 429)!,
        'RATE_LIMIT_BURST=3',
        'address 203.0.113.21',
      );
      // The health budget's whole burst (4) passes: not one of the 6 API calls spent it.
      expect(statuses(await times(4, probe('203.0.113.21')))).toEqual([200, 200, 200, 200]);
    });
  });

  it('is enough alone to turn the limits on, counts /health per address when keys are configured, and limits nothing else', async () => {
    const herald = await start({ HERALD_API_KEYS: JSON.stringify(KEYS), RATE_LIMIT_HEALTH_PER_SECOND: '1' });
    // Bursts of 2 per address: a key on the probe buys no budget of its own, and a missing one is no 401 or 500.
    const [open, keyed] = await Promise.all([
      times(2, () => call(`${herald.url}/health`)),
      times(2, () => call(`${herald.url}/health`, { headers: bearer('health') })),
    ]);
    expect(statuses([...open, ...keyed])).toEqual([200, 200, 429, 429]);
    expectRateLimited(
      [...open, ...keyed].find((a) => a.status === 429)!,
      'RATE_LIMIT_HEALTH_PER_SECOND=1',
      'address 127.0.0.1',
    );
    // No API budget is on: a key defines as much as it likes.
    const defined = await times(10, () => call(`${herald.url}/api/v1/reminders`, { method: 'POST', json: REMINDER, headers: bearer('health') }));
    expect(statuses(defined)).toEqual(Array(10).fill(201));
  });
});

const redisReachable = serverAvailable('Redis', REDIS_TEST_URL);

(redisReachable ? describe : describe.skip)('rate limits shared by replicas through Redis', () => {
  const prefix = `herald-e2e:${randomUUID().slice(0, 8)}:`;
  let redis: Redis;
  let replicas: RunningHerald[] = [];

  beforeAll(async () => {
    redis = new Redis(REDIS_TEST_URL);
    const env = {
      HERALD_API_KEYS: JSON.stringify([{ id: 'shared', key: 'shared-key-0123456789abcdef', scopes: ['read', 'write'] }]),
      RATE_LIMIT_PER_SECOND: '2',
      RATE_LIMIT_BURST: '4',
      REDIS_URL: REDIS_TEST_URL,
      RATE_LIMIT_REDIS_PREFIX: prefix,
    };
    replicas = [await startHerald(env), await startHerald(env)];
  });

  afterAll(async () => {
    for (const replica of replicas) {
      await replica.close();
      removeDataDir(replica.dataDir);
    }
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('limits the sum of one key’s calls across both replicas, and writes nothing for the refused ones', async () => {
    const before = replicas.map((r) => r.eventCount());
    const define = (replica: RunningHerald) => () =>
      call(`${replica.url}/api/v1/reminders`, { method: 'POST', json: REMINDER, headers: bearer('shared') });
    // 3 to each at once: counted apart each would take all 3 (6 in all); shared, 4 in all pass.
    const [a, b] = await Promise.all([times(3, define(replicas[0])), times(3, define(replicas[1]))]);
    expect(statuses([...a, ...b])).toEqual([201, 201, 201, 201, 429, 429]);
    expectRateLimited(
      [...a, ...b].find((x) => x.status === 429)!,
      'RATE_LIMIT_BURST=4',
      'API key shared',
    );
    expect(replicas.map((r, i) => r.eventCount() - before[i])).toEqual([a, b].map((answers) => answers.filter((x) => x.status === 201).length));
    // The counts are Redis keys under this run's prefix (the burst window's may have expired already: it lasts a second).
    expect(await redis.keys(`${prefix}*`)).toContain(`${prefix}{api:sustained:key:shared:sustained}:hits`);
  });

  it('closes its Redis connection on shutdown', async () => {
    const clients = async () =>
      ((await redis.call('CLIENT', 'LIST')) as string).split('\n').filter((line) => line.includes('name=herald-rate-limits')).length;
    const before = await clients();
    const extra = await startHerald({ RATE_LIMIT_PER_SECOND: '5', REDIS_URL: REDIS_TEST_URL, RATE_LIMIT_REDIS_PREFIX: prefix });
    try {
      expect(await clients()).toBe(before + 1);
    } finally {
      await extra.close();
      removeDataDir(extra.dataDir);
    }
    await eventually(clients, (n) => n === before, { timeoutMs: 5_000, what: 'the connection closed' });
  });
});
