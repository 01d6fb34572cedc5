import { ConfigError, loadConfig } from '../config/herald-config';
import { UNRESTRICTED } from '../auth/api-keys';
import {
  RATE_WINDOWS,
  anyBudget,
  budgetOfRoute,
  counterKey,
  rateBudgets,
  rateLimitedBody,
  retryAfterSeconds,
  trackerOf,
  windowLimit,
  windowOfTtl,
} from './rate-limits';

const SHOP = { keyId: 'shop', scopes: new Set(['read', 'write'] as const), owner: 'shop' };

describe('rate limit budgets', () => {
  it('are off by default, for the API, the worker protocol and /health alike', () => {
    const budgets = rateBudgets(loadConfig({}));
    expect(budgets).toEqual({ api: null, work: null, health: null });
    expect(anyBudget(budgets)).toBe(false);
  });

  it('take a rate and a burst, the burst twice the rate when not given', () => {
    const { api, work } = rateBudgets(loadConfig({ RATE_LIMIT_PER_SECOND: '5', RATE_LIMIT_WORKER_PER_SECOND: '50', RATE_LIMIT_WORKER_BURST: '80' }));
    expect([api?.perSecond, api?.burst, work?.perSecond, work?.burst]).toEqual([5, 10, 50, 80]);
    expect(api?.knobs).toEqual({ perSecond: 'RATE_LIMIT_PER_SECOND', burst: 'RATE_LIMIT_BURST' });
  });

  it('keep each budget on or off by itself', () => {
    expect(rateBudgets(loadConfig({ RATE_LIMIT_WORKER_PER_SECOND: '3' })).api).toBeNull();
    expect(rateBudgets(loadConfig({ RATE_LIMIT_PER_SECOND: '3' })).work).toBeNull();
    expect(rateBudgets(loadConfig({ RATE_LIMIT_PER_SECOND: '3', RATE_LIMIT_WORKER_PER_SECOND: '3' })).health).toBeNull();
    const healthOnly = rateBudgets(loadConfig({ RATE_LIMIT_HEALTH_PER_SECOND: '3' }));
    expect([healthOnly.api, healthOnly.work]).toEqual([null, null]);
    expect(anyBudget(healthOnly)).toBe(true);
  });

  it('give /health a rate of its own, in bursts of twice it', () => {
    const { health } = rateBudgets(loadConfig({ RATE_LIMIT_HEALTH_PER_SECOND: '4' }));
    expect(health).toEqual({ name: 'health', perSecond: 4, burst: 8, knobs: { perSecond: 'RATE_LIMIT_HEALTH_PER_SECOND', burst: null } });
  });

  it.each([
    [{ RATE_LIMIT_BURST: '10' }, /RATE_LIMIT_BURST="10": a burst needs a rate: set RATE_LIMIT_PER_SECOND too/],
    [{ RATE_LIMIT_PER_SECOND: '10', RATE_LIMIT_BURST: '5' }, /RATE_LIMIT_BURST="5": must be at least RATE_LIMIT_PER_SECOND \(10\)/],
    [
      { RATE_LIMIT_WORKER_PER_SECOND: '10', RATE_LIMIT_WORKER_BURST: '9' },
      /RATE_LIMIT_WORKER_BURST="9": must be at least RATE_LIMIT_WORKER_PER_SECOND/,
    ],
    [{ RATE_LIMIT_PER_SECOND: '-1' }, /RATE_LIMIT_PER_SECOND="-1"/],
    [{ RATE_LIMIT_PER_SECOND: 'lots' }, /RATE_LIMIT_PER_SECOND="lots"/],
    [{ RATE_LIMIT_HEALTH_PER_SECOND: '-2' }, /RATE_LIMIT_HEALTH_PER_SECOND="-2"/],
    [{ RATE_LIMIT_HEALTH_PER_SECOND: '0.5' }, /RATE_LIMIT_HEALTH_PER_SECOND="0.5"/],
  ])('refuse to start on %p, naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('read REDIS_URL, its key prefix and the trusted proxies', () => {
    const config = loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' });
    expect([config.REDIS_URL, config.RATE_LIMIT_REDIS_PREFIX, config.TRUST_PROXY]).toEqual([
      'redis://127.0.0.1:6379',
      'herald:rate-limit:',
      ['10.0.0.0/8', '127.0.0.1'],
    ]);
    expect(() => loadConfig({ TRUST_PROXY: 'the-proxy' })).toThrow(/TRUST_PROXY=.*is not a CIDR network/);
  });

  it('count a burst over 1 s and the rate over 10 s', () => {
    const api = rateBudgets(loadConfig({ RATE_LIMIT_PER_SECOND: '5', RATE_LIMIT_BURST: '8' })).api!;
    expect(RATE_WINDOWS.map((w) => [w.name, w.ttlMs, windowLimit(api, w.name)])).toEqual([
      ['burst', 1_000, 8],
      ['sustained', 10_000, 50],
    ]);
    expect([windowOfTtl(1_000), windowOfTtl(10_000)]).toEqual(['burst', 'sustained']);
  });
});

describe('which budget a route spends', () => {
  const budgets = rateBudgets(loadConfig({ RATE_LIMIT_PER_SECOND: '5', RATE_LIMIT_WORKER_PER_SECOND: '50', RATE_LIMIT_HEALTH_PER_SECOND: '2' }));

  it('the health budget for public routes (/health), the worker budget for `work` routes, the API budget for the rest', () => {
    expect(budgetOfRoute(null, budgets)?.name).toBe('health');
    expect(budgetOfRoute('work', budgets)?.name).toBe('work');
    for (const scope of ['read', 'write', 'admin', undefined] as const) expect(budgetOfRoute(scope, budgets)?.name).toBe('api');
  });

  it('none when that budget is off: /health is never limited by the API and worker budgets', () => {
    const apiOnly = rateBudgets(loadConfig({ RATE_LIMIT_PER_SECOND: '5', RATE_LIMIT_WORKER_PER_SECOND: '50' }));
    expect(budgetOfRoute('work', rateBudgets(loadConfig({ RATE_LIMIT_PER_SECOND: '5' })))).toBeNull();
    expect(budgetOfRoute(null, apiOnly)).toBeNull();
  });
});

describe('who spends a budget', () => {
  it('the API key when keys are configured, whatever the address', () => {
    expect(trackerOf({ principal: SHOP, ip: '10.0.0.1' }, true, 'api')).toBe('key:shop');
    expect(trackerOf({ principal: SHOP, ip: '10.0.0.2' }, true, 'work')).toBe('key:shop');
  });

  it('the client address for /health, keys or not: it is open without one', () => {
    expect(trackerOf({ ip: '10.0.0.1' }, true, 'health')).toBe('ip:10.0.0.1');
    expect(trackerOf({ principal: SHOP, ip: '10.0.0.2' }, true, 'health')).toBe('ip:10.0.0.2');
    expect(trackerOf({ ip: '10.0.0.3' }, false, 'health')).toBe('ip:10.0.0.3');
  });

  it('the client address when no keys are configured, an IPv6 host counted by its /64', () => {
    expect(trackerOf({ principal: UNRESTRICTED, ip: '127.0.0.1' }, false, 'api')).toBe('ip:127.0.0.1');
    const a = trackerOf({ ip: '2001:db8:1:2:aaaa::1' }, false, 'api');
    expect(trackerOf({ ip: '2001:db8:1:2:bbbb::7' }, false, 'api')).toBe(a);
    expect(trackerOf({ ip: '2001:db8:1:3::1' }, false, 'api')).not.toBe(a);
  });

  it('refuses to guess when keys are configured but the API key guard has not run', () => {
    expect(() => trackerOf({ ip: '127.0.0.1' }, true, 'api')).toThrow(/before the API key guard/);
  });

  it('keeps budgets, windows and callers apart in storage', () => {
    const { api, work, health } = rateBudgets(
      loadConfig({ RATE_LIMIT_PER_SECOND: '5', RATE_LIMIT_WORKER_PER_SECOND: '5', RATE_LIMIT_HEALTH_PER_SECOND: '5' }),
    );
    const keys = [
      counterKey(api!, 'burst', 'key:a'),
      counterKey(api!, 'sustained', 'key:a'),
      counterKey(work!, 'burst', 'key:a'),
      counterKey(api!, 'burst', 'key:b'),
      counterKey(api!, 'burst', 'ip:127.0.0.1'),
      counterKey(health!, 'burst', 'ip:127.0.0.1'),
    ];
    expect(new Set(keys).size).toBe(6);
    expect(keys[0]).toBe('api:burst:key:a');
  });
});

describe('the refusal', () => {
  const { api, work, health } = rateBudgets(
    loadConfig({ RATE_LIMIT_PER_SECOND: '5', RATE_LIMIT_BURST: '8', RATE_LIMIT_WORKER_PER_SECOND: '20', RATE_LIMIT_HEALTH_PER_SECOND: '2' }),
  );

  it('is a 429 in the common error shape, naming who, the limit passed and its knob', () => {
    const body = rateLimitedBody(api!, 'burst', 'key:shop', 1);
    expect(body).toMatchObject({ statusCode: 429, error: 'Too Many Requests', code: 'RateLimited' });
    expect(body.message).toBe(
      'API key shop sent more than 8 calls within 1 s (RATE_LIMIT_BURST=8): retry after 1 s (Retry-After), and spread calls out or ask the operator to raise RATE_LIMIT_BURST',
    );
    expect(rateLimitedBody(api!, 'sustained', 'ip:127.0.0.1', 7).message).toMatch(
      /^address 127\.0\.0\.1 sent more than 50 calls within 10 s \(RATE_LIMIT_PER_SECOND=5 a second, averaged over 10 s\): retry after 7 s/,
    );
    expect(rateLimitedBody(work!, 'burst', 'key:w', 1).message).toMatch(
      /more than 40 worker protocol calls within 1 s \(RATE_LIMIT_WORKER_BURST=40\)/,
    );
  });

  it('names RATE_LIMIT_HEALTH_PER_SECOND for /health, in either window: its burst has no knob of its own', () => {
    expect(rateLimitedBody(health!, 'burst', 'ip:10.1.2.3', 1).message).toBe(
      'address 10.1.2.3 sent more than 4 /health calls within 1 s (twice RATE_LIMIT_HEALTH_PER_SECOND=2): retry after 1 s (Retry-After), and spread calls out or ask the operator to raise RATE_LIMIT_HEALTH_PER_SECOND',
    );
    expect(rateLimitedBody(health!, 'sustained', 'ip:10.1.2.3', 6).message).toMatch(
      /^address 10\.1\.2\.3 sent more than 20 \/health calls within 10 s \(RATE_LIMIT_HEALTH_PER_SECOND=2 a second, averaged over 10 s\): .* raise RATE_LIMIT_HEALTH_PER_SECOND$/,
    );
  });

  it('says to retry after a whole number of seconds, at least one', () => {
    expect([0, 0.2, 1, 1.5, 9].map(retryAfterSeconds)).toEqual([1, 1, 1, 2, 9]);
  });
});
