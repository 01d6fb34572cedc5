import { Logger } from '@nestjs/common';
import { RateLimitStorage, SHARED_RETRY_MS, SharedCounters, withoutPassword } from './rate-limit-storage';

/** A shared store that answers with a recognisable record, or fails, as the test says. */
class FakeShared implements SharedCounters {
  calls = 0;
  failing = false;
  connected = true;
  closed = 0;
  increment() {
    this.calls += 1;
    if (this.failing) return Promise.reject(new Error('Connection is closed.'));
    return Promise.resolve({ totalHits: 42, timeToExpire: 1, isBlocked: false, timeToBlockExpire: 0 });
  }
  ready() {
    return this.connected;
  }
  close() {
    this.closed += 1;
    return Promise.resolve();
  }
}

function logged() {
  const lines: string[] = [];
  const logger = { warn: (m: string) => lines.push(`warn ${m}`), log: (m: string) => lines.push(`log ${m}`) } as unknown as Logger;
  return { lines, logger };
}

describe('RateLimitStorage', () => {
  let storages: RateLimitStorage[] = [];
  const track = (s: RateLimitStorage) => (storages.push(s), s);
  afterEach(async () => {
    await Promise.all(storages.map((s) => s.onApplicationShutdown()));
    storages = [];
  });

  it('counts in memory without a shared store: past the limit, blocked for the window, then served again', async () => {
    let now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    try {
      const storage = track(new RateLimitStorage(null));
      const hit = () => storage.increment('api:burst:key:a', 1_000, 2, 1_000, 'burst');
      expect((await hit()).isBlocked).toBe(false);
      expect((await hit()).isBlocked).toBe(false);
      const refused = await hit();
      expect([refused.isBlocked, refused.timeToBlockExpire]).toEqual([true, 1]);
      expect((await storage.increment('api:burst:key:b', 1_000, 2, 1_000, 'burst')).isBlocked).toBe(false); // another caller
      now += 1_001;
      expect((await hit()).isBlocked).toBe(false);
      expect(storage.counting).toBe('memory');
    } finally {
      jest.restoreAllMocks();
    }
  });

  it('asks the shared store while it answers', async () => {
    const shared = new FakeShared();
    const storage = track(new RateLimitStorage(shared));
    expect((await storage.increment('k', 1_000, 5, 1_000, 'burst')).totalHits).toBe(42);
    expect([shared.calls, storage.counting]).toEqual([1, 'shared']);
  });

  it('counts locally while the shared store fails, says so once each way, and asks again after a pause', async () => {
    let now = 0;
    const shared = new FakeShared();
    const { lines, logger } = logged();
    const storage = track(new RateLimitStorage(shared, 'Redis at redis://127.0.0.1:6379', logger, () => now));
    shared.failing = true;
    const first = await storage.increment('k', 1_000, 5, 1_000, 'burst');
    expect([first.totalHits, first.isBlocked]).toEqual([1, false]); // the local count
    expect((await storage.increment('k', 1_000, 5, 1_000, 'burst')).totalHits).toBe(2);
    expect(shared.calls).toBe(1); // not asked again within the pause
    expect(storage.counting).toBe('memory (shared store down)');
    now += SHARED_RETRY_MS;
    await storage.increment('k', 1_000, 5, 1_000, 'burst');
    expect(shared.calls).toBe(2); // asked again, failed again: still one warning
    shared.failing = false;
    now += SHARED_RETRY_MS;
    expect((await storage.increment('k', 1_000, 5, 1_000, 'burst')).totalHits).toBe(42);
    expect(lines).toEqual([
      "warn Redis at redis://127.0.0.1:6379 unreachable (Connection is closed.): rate limits count in this replica's memory until it answers again",
      'log Redis at redis://127.0.0.1:6379 answers again: rate limits count across replicas',
    ]);
  });

  it('does not wait on a shared store that is not connected', async () => {
    const shared = new FakeShared();
    shared.connected = false;
    const storage = track(new RateLimitStorage(shared, 'Redis', logged().logger));
    expect((await storage.increment('k', 1_000, 5, 1_000, 'burst')).totalHits).toBe(1);
    expect(shared.calls).toBe(0);
  });

  it('says at start that the shared store is not there, and not again at the first count', async () => {
    const shared = new FakeShared();
    shared.connected = false;
    const { lines, logger } = logged();
    const storage = track(new RateLimitStorage(shared, 'Redis', logger));
    storage.checkShared();
    await storage.increment('k', 1_000, 5, 1_000, 'burst');
    expect(lines).toEqual(["warn Redis unreachable (not connected): rate limits count in this replica's memory until it answers again"]);
  });

  it('closes the shared store once, however often shutdown is called', async () => {
    const shared = new FakeShared();
    const storage = new RateLimitStorage(shared);
    await Promise.all([storage.onApplicationShutdown(), storage.onApplicationShutdown()]);
    expect(shared.closed).toBe(1);
  });

  it('keeps a Redis password out of the log', () => {
    expect(withoutPassword('redis://user:s3cret@cache:6379/2')).toBe('redis://user:***@cache:6379/2');
    expect(withoutPassword('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(withoutPassword('::not a url::')).toBe('(REDIS_URL)');
  });
});
