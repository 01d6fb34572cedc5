import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { REDIS_TEST_URL, serverAvailable } from '@herald/testing';
import { RateLimitStorage, redisCounters } from './rate-limit-storage';

const run = serverAvailable('Redis', REDIS_TEST_URL);

/** Deletes every key under `prefix` (what one test created). */
async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
}

(run ? describe : describe.skip)('rate limit counters in Redis', () => {
  const prefix = `herald-test:${randomUUID().slice(0, 8)}:`;
  let admin: Redis;
  const storages: RateLimitStorage[] = [];
  const replica = async () => {
    const storage = new RateLimitStorage(await redisCounters(REDIS_TEST_URL, prefix), 'Redis');
    storages.push(storage);
    return storage;
  };

  beforeAll(() => {
    admin = new Redis(REDIS_TEST_URL);
  });

  afterAll(async () => {
    await Promise.all(storages.map((s) => s.onApplicationShutdown()));
    await deletePrefix(admin, prefix);
    await admin.quit();
  });

  it('are shared by replicas: the sum of their calls is limited', async () => {
    const [a, b] = [await replica(), await replica()];
    expect([a.counting, b.counting]).toEqual(['shared', 'shared']);
    const hit = (s: RateLimitStorage) => s.increment('api:burst:key:shared', 10_000, 3, 10_000, 'burst');
    const results = [await hit(a), await hit(b), await hit(a), await hit(b), await hit(a)];
    expect(results.map((r) => r.isBlocked)).toEqual([false, false, false, true, true]);
    expect(results[3].timeToBlockExpire).toBeGreaterThanOrEqual(9);
    expect(results[3].timeToBlockExpire).toBeLessThanOrEqual(10);
  });

  it('keep their keys under the prefix, expiring with their window', async () => {
    const storage = await replica();
    await storage.increment('api:sustained:key:expiring', 10_000, 50, 10_000, 'sustained');
    const keys = await admin.keys(`${prefix}*expiring*`);
    expect(keys).toEqual([`${prefix}{api:sustained:key:expiring:sustained}:hits`]);
    const ttl = await admin.pttl(keys[0]);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(10_000);
  });
});

describe('rate limit counters with an unreachable Redis', () => {
  it('start without waiting for it and count in this process meanwhile, so limits still hold', async () => {
    const warnings: string[] = [];
    const logger = { warn: (m: string) => warnings.push(m), log: () => undefined, debug: () => undefined } as unknown as Logger;
    const started = Date.now();
    const storage = new RateLimitStorage(await redisCounters('redis://127.0.0.1:1', 'herald-test:', logger), 'Redis at redis://127.0.0.1:1', logger);
    try {
      expect(Date.now() - started).toBeLessThan(2_000); // refused at once: not the whole connect timeout
      expect(storage.counting).toBe('memory (shared store down)');
      const hit = () => storage.increment('api:burst:key:local', 1_000, 2, 1_000, 'burst');
      const results = [await hit(), await hit(), await hit()];
      expect(results.map((r) => r.isBlocked)).toEqual([false, false, true]);
      expect(warnings).toEqual([
        "Redis at redis://127.0.0.1:1 unreachable (not connected): rate limits count in this replica's memory until it answers again",
      ]);
    } finally {
      await storage.onApplicationShutdown();
    }
  });
});
