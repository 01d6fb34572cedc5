import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { EVENT_STORE, EventStore, LogPosition, RecordedEvent, Subscription } from '@herald/event-store';
import { HealthRegistry, HeraldConfig } from '@herald/platform';
import { FeedEntry, feedEntry } from './feed-filter';
import { FeedOwners } from './feed-owners';
import { FeedSources } from './feed-source';

/** What the hub needs of a connected client. */
export interface FeedListener {
  /** A comment line, so an idle connection is not closed by a proxy; skipped while the client is not keeping up. */
  keepAlive(): void;
  /** Ends the client's response (shutdown). */
  close(): void;
}

/**
 * The live feed's one subscription per process, fanned out to every client.
 * It reads the feed's categories from the log, from the head at the first
 * client's arrival on, and keeps the latest FEED_BUFFER_EVENTS of them in
 * memory: the tail every client is served from. It pushes nothing: clients
 * keep their own position and take what is after it (FeedClient), so a slow
 * client costs its own socket buffer and nothing here, and a client behind
 * the tail reads the log itself until it is back within it.
 */
@Injectable()
export class FeedHub implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Feed');
  readonly owners: FeedOwners;
  private readonly entries: FeedEntry[] = [];
  /** entries[first…] are the tail; those before it were dropped and are compacted away now and then. */
  private first = 0;
  /** The tail holds every feed event after this position (null: from the start of the log). */
  private start: LogPosition | null = null;
  private subscription: Subscription | null = null;
  private starting: Promise<void> | null = null;
  /** Clients waiting for the tail to grow: called once each, then forgotten (a client that leaves takes itself out). */
  private readonly waiters = new Set<() => void>();
  private readonly listeners = new Set<FeedListener>();
  /** The position of the latest event of each category the hub has seen. */
  private readonly latest = new Map<string, LogPosition>();
  private keepAliveTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    @Inject(EVENT_STORE) readonly events: EventStore,
    readonly sources: FeedSources,
    private readonly config: HeraldConfig,
    health: HealthRegistry,
  ) {
    this.owners = new FeedOwners(config.FEED_OWNER_CACHE, events);
    health.register({
      name: 'feed',
      check: async () => {
        const status = this.subscription?.status;
        // Given up for good (EventStoreDB refused access): the feed delivers nothing until restarted.
        if (status?.state === 'failed') throw new Error(`feed subscription failed: ${String(status.error)}`);
        return { state: status?.state ?? 'idle', clients: this.listeners.size, buffered: this.entries.length - this.first };
      },
    });
  }

  /** The streams the feed covers: every registered source's. */
  get streamPrefixes(): string[] {
    return this.sources.all().map((s) => s.streamPrefix);
  }

  get clientCount(): number {
    return this.listeners.size;
  }

  /** Starts the shared subscription on first use (a process nobody follows reads nothing for the feed). */
  ensureStarted(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the feed is shutting down'));
    // A failed start (the store did not answer) is tried again by the next client, not remembered.
    this.starting ??= this.startSubscription().catch((error: unknown) => {
      this.starting = null;
      throw error;
    });
    return this.starting;
  }

  /** The position the tail holds every feed event after (null: the start of the log). */
  get startPosition(): LogPosition | null {
    return this.start;
  }

  /** The later of two positions (null: the start of the log, before any). */
  later(a: LogPosition | null, b: LogPosition | null): LogPosition | null {
    if (a === null) return b;
    if (b === null) return a;
    return this.events.comparePositions(a, b) >= 0 ? a : b;
  }

  /** The live end: the position after which the next appended feed event will come. */
  get position(): LogPosition | null {
    const last = this.entries[this.entries.length - 1];
    return this.entries.length > this.first ? last.event.position : this.start;
  }

  /** Whether the tail holds every feed event after `cursor`. */
  covers(cursor: LogPosition | null): boolean {
    if (this.start === null) return true;
    return cursor !== null && this.events.comparePositions(cursor, this.start) >= 0;
  }

  /**
   * Whether nothing of these categories came after `cursor` (which the tail
   * covers): a client following only them may move to the live end without
   * looking at the tail — what keeps thousands of clients of other
   * categories cheap while one category is busy.
   */
  nothingAfter(cursor: LogPosition | null, categories: ReadonlySet<string>): boolean {
    if (!this.covers(cursor)) return false;
    for (const category of categories) {
      const latest = this.latest.get(category);
      if (latest !== undefined && (cursor === null || this.events.comparePositions(latest, cursor) > 0)) return false;
    }
    return true;
  }

  /** The tail's entries after `cursor`, in log order; null when the tail no longer (or not yet) covers it. */
  after(cursor: LogPosition | null): FeedEntry[] | null {
    if (!this.covers(cursor)) return null;
    let low = this.first;
    let high = this.entries.length;
    if (cursor !== null) {
      // The first entry after the cursor (binary search: the tail is in log order).
      while (low < high) {
        const mid = (low + high) >>> 1;
        if (this.events.comparePositions(this.entries[mid].event.position, cursor) > 0) high = mid;
        else low = mid + 1;
      }
    }
    return this.entries.slice(low);
  }

  /** Calls `wake` once, when the tail grows or the hub closes; the returned function takes it back. */
  onNext(wake: () => void): () => void {
    if (this.closed) {
      wake();
      return () => undefined;
    }
    this.waiters.add(wake);
    return () => this.waiters.delete(wake);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** The feed entry of an event of a covered stream, or null (not a feed category). */
  entryOf(event: RecordedEvent): FeedEntry | null {
    const source = this.sources.ofStream(event.stream);
    if (!source) return null;
    const entry = feedEntry(event, source);
    this.owners.learn(entry);
    return entry;
  }

  attach(listener: FeedListener): void {
    this.listeners.add(listener);
    this.keepAliveTimer ??= setInterval(() => this.listeners.forEach((l) => l.keepAlive()), this.config.FEED_KEEPALIVE_MS).unref();
  }

  detach(listener: FeedListener): void {
    this.listeners.delete(listener);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.closed = true;
    if (this.keepAliveTimer) clearInterval(this.keepAliveTimer);
    for (const listener of this.listeners) listener.close();
    this.listeners.clear();
    this.wakeAll();
    await this.subscription?.stop();
  }

  private async startSubscription(): Promise<void> {
    this.start = await this.events.headPosition();
    this.subscription = this.events.subscribeToAll(
      { after: this.start, streamPrefixes: this.streamPrefixes, promptly: true },
      async (batch) => {
        this.append(batch);
        // Let the clients take this page before the next: a burst longer than the tail would otherwise
        // push every client behind it, into reading the log itself.
        await new Promise((resolve) => setImmediate(resolve));
      },
      (err) => this.logger.error({ err }, 'feed subscription: store unavailable; retrying'),
    );
  }

  /** Adds a batch to the tail whole; an event that cannot be made an entry is logged and left out, not retried forever. */
  private append(batch: RecordedEvent[]): void {
    const entries: FeedEntry[] = [];
    for (const event of batch) {
      try {
        const entry = this.entryOf(event);
        if (entry) entries.push(entry);
      } catch (err) {
        this.logger.error({ err, stream: event.stream, type: event.type, position: event.position }, 'feed: event left out');
      }
    }
    for (const entry of entries) {
      this.entries.push(entry);
      this.latest.set(entry.source.category, entry.event.position);
    }
    this.dropOldest();
    this.wakeAll();
  }

  private wakeAll(): void {
    const waiting = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiting) wake();
  }

  /**
   * Keeps the tail at FEED_BUFFER_EVENTS. Dropped entries are spliced away
   * once they number a quarter of the tail (or 1,000): the array never holds
   * much more than the tail, and a splice is rare enough to cost nothing.
   */
  private dropOldest(): void {
    const capacity = this.config.FEED_BUFFER_EVENTS;
    const excess = this.entries.length - this.first - capacity;
    if (excess <= 0) return;
    this.first += excess;
    this.start = this.entries[this.first - 1].event.position;
    if (this.first >= Math.min(1_000, Math.ceil(capacity / 4))) {
      this.entries.splice(0, this.first);
      this.first = 0;
    }
  }
}
