import type { FeedMessage, Herald } from '@herald/client';
import { HeraldBadRequestError } from '@herald/client';
import { isAbort, isUnauthenticated } from './api';

export type FeedState = 'connecting' | 'live' | 'retrying' | 'unauthorized' | 'stopped';

/**
 * One live feed (GET /api/v1/stream, every category) for the whole page: the views subscribe
 * to it instead of each opening its own. The SDK's stream resumes with Last-Event-ID by itself
 * when a connection drops; should the stream end or fail anyway, this opens it again after the
 * last message seen, with a growing pause, so nothing is missed. A 401 stops it: the page asks
 * for a key and starts a new feed with it.
 */
export class LiveFeed {
  private readonly listeners = new Set<(message: FeedMessage) => void>();
  private readonly stateListeners = new Set<(state: FeedState) => void>();
  private readonly abort = new AbortController();
  private last: string | undefined;
  state: FeedState = 'connecting';

  private readonly openListeners = new Set<() => void>();

  constructor(
    private readonly herald: Herald,
    private readonly onUnauthorized: (message: string) => void,
  ) {}

  /** Called (through createHerald's fetch) when a feed's first bytes arrive and are a real feed's: it is open from here on. */
  opened(): void {
    this.setState('live');
    for (const listener of [...this.openListeners]) listener();
  }

  /** Hears each time the feed opens (the first time and after a reconnect). */
  onOpen(listener: () => void): () => void {
    this.openListeners.add(listener);
    return () => this.openListeners.delete(listener);
  }

  start(): this {
    void this.run();
    return this;
  }

  stop(): void {
    this.abort.abort();
    this.setState('stopped');
  }

  subscribe(listener: (message: FeedMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onState(listener: (state: FeedState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  private async run(): Promise<void> {
    let pauseMs = 500;
    while (!this.abort.signal.aborted) {
      try {
        this.setState(this.last === undefined ? 'connecting' : 'retrying');
        const stream = this.herald.stream({ signal: this.abort.signal, ...(this.last ? { after: this.last } : {}) });
        for await (const message of stream) {
          this.last = message.id;
          pauseMs = 500;
          this.setState('live');
          for (const listener of [...this.listeners]) listener(message);
        }
      } catch (error) {
        if (this.abort.signal.aborted || isAbort(error)) return;
        if (isUnauthenticated(error)) {
          this.setState('unauthorized');
          this.onUnauthorized(error instanceof Error ? error.message : String(error));
          return;
        }
        if (error instanceof HeraldBadRequestError && this.last !== undefined) {
          // The remembered position is refused (not an id this feed gave out, ahead of this log): resuming
          // from it would fail for ever. Start again from the live end; the views reload when it opens.
          console.warn('Herald feed refused its position; restarting from the live end', error);
          this.last = undefined;
        } else console.warn('Herald feed interrupted; reconnecting', error);
      }
      if (this.abort.signal.aborted) return;
      this.setState('retrying');
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
      pauseMs = Math.min(pauseMs * 2, 10_000);
    }
  }

  private setState(state: FeedState): void {
    if (this.state === state || this.state === 'stopped') return;
    this.state = state;
    for (const listener of [...this.stateListeners]) listener(state);
  }
}
