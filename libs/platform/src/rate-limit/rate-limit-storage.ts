import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import type { Redis } from 'ioredis';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** A counter store every replica shares (Redis), as RateLimitStorage uses it. */
export interface SharedCounters extends ThrottlerStorage {
  /** Whether asking it now can answer (connected); when not, counting stays local without waiting. */
  ready(): boolean;
  close(): Promise<void>;
}

/** How long after a failed (or timed-out) call the shared store is not asked again. */
export const SHARED_RETRY_MS = 1_000;

/**
 * Where the rate limits count: this process's memory (@nestjs/throttler's
 * own storage), or Redis (@nest-lab/throttler-storage-redis) so that every
 * replica counts the same calls — with this process's memory standing in
 * while Redis cannot be reached.
 *
 * Why neither fail open nor closed when Redis is down: closed (429 or 500 to
 * every call) would make a cache an outage of the whole API; open would drop
 * every limit at once, which is when a runaway client does the most harm.
 * Counting locally keeps each replica's limit (so the fleet admits at most
 * replicas × the limit) until Redis answers again, logged once each way.
 */
export class RateLimitStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly local = new ThrottlerStorageService();
  private sharedDownUntil = 0;
  private sharedDown = false;
  private closing: Promise<void> | null = null;

  constructor(
    private readonly shared: SharedCounters | null,
    /** Where the shared store is, for the log (no password). */
    readonly sharedName = 'Redis',
    private readonly logger = new Logger('RateLimits'),
    private readonly now: () => number = Date.now,
  ) {}

  get counting(): 'memory' | 'shared' | 'memory (shared store down)' {
    if (!this.shared) return 'memory';
    return this.sharedDown || !this.shared.ready() ? 'memory (shared store down)' : 'shared';
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttler: string): Promise<ThrottlerStorageRecord> {
    const shared = this.shared;
    if (!shared || this.now() < this.sharedDownUntil) return this.local.increment(key, ttl, limit, blockDuration, throttler);
    if (!shared.ready()) {
      this.down('not connected');
      return this.local.increment(key, ttl, limit, blockDuration, throttler);
    }
    try {
      const record = await shared.increment(key, ttl, limit, blockDuration, throttler);
      this.up();
      return record;
    } catch (error) {
      this.down(error instanceof Error ? error.message : String(error));
      return this.local.increment(key, ttl, limit, blockDuration, throttler);
    }
  }

  /** Says once, at start, that the shared store is not there (calls would say it at the first count otherwise). */
  checkShared(): void {
    if (this.shared && !this.shared.ready()) this.down('not connected');
  }

  private down(reason: string): void {
    this.sharedDownUntil = this.now() + SHARED_RETRY_MS;
    if (this.sharedDown) return;
    this.sharedDown = true;
    this.logger.warn(`${this.sharedName} unreachable (${reason}): rate limits count in this replica's memory until it answers again`);
  }

  private up(): void {
    if (!this.sharedDown) return;
    this.sharedDown = false;
    this.logger.log(`${this.sharedName} answers again: rate limits count across replicas`);
  }

  /** Closes the Redis connection (Nest may call this for both tokens the storage is provided as: once is enough). */
  onApplicationShutdown(): Promise<void> {
    this.closing ??= (async () => {
      this.local.onApplicationShutdown();
      await this.shared?.close();
    })();
    return this.closing;
  }
}

/** ioredis options for rate limiting: a call never waits for a connection, and a slow Redis is given up on quickly. */
export const RATE_LIMIT_REDIS_OPTIONS = {
  // No queue while disconnected: a call fails at once and counts locally, rather than waiting for a reconnect.
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  commandTimeout: 250,
  connectTimeout: 2_000,
  // Named in CLIENT LIST, so an operator sees which connections are Herald's rate limits.
  connectionName: 'herald-rate-limits',
} as const;

/** The Redis counters of @nest-lab/throttler-storage-redis over one ioredis connection (loaded only when REDIS_URL is set). */
export async function redisCounters(url: string, keyPrefix: string, logger = new Logger('RateLimits')): Promise<SharedCounters> {
  const { default: IORedis } = await import('ioredis');
  const { ThrottlerStorageRedisService } = await import('@nest-lab/throttler-storage-redis');
  const redis: Redis = new IORedis(url, { ...RATE_LIMIT_REDIS_OPTIONS, keyPrefix });
  // ioredis reconnects by itself; its errors are reported by RateLimitStorage when a count fails, so only debug here.
  redis.on('error', (error: Error) => logger.debug(`Redis: ${error.message}`));
  // Start counting shared from the first call when Redis is there; when it is not, start anyway (counting locally).
  await connected(redis, RATE_LIMIT_REDIS_OPTIONS.connectTimeout);
  const storage = new ThrottlerStorageRedisService(redis);
  return {
    increment: (key, ttl, limit, blockDuration, throttler) => storage.increment(key, ttl, limit, blockDuration, throttler),
    ready: () => redis.status === 'ready',
    close: async () => {
      if (redis.status !== 'ready') return redis.disconnect();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** Resolves once the connection is ready, fails, or `timeoutMs` passes: whichever comes first. */
function connected(redis: Redis, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off('ready', done);
      redis.off('error', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    redis.once('ready', done);
    redis.once('error', done);
  });
}

/** `redis://user:secret@host:6379/0` → `redis://user:***@host:6379/0`, for logs. */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(REDIS_URL)';
  }
}
