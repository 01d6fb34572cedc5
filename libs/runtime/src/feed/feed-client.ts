import { Logger } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { LogPosition } from '@herald/event-store';
import { FeedEntry, FeedFilter, matchesWithoutOwner } from './feed-filter';
import { FeedHub, FeedListener } from './feed-hub';
import { feedToken } from './feed-token';

const logger = new Logger('Feed');

/**
 * One open feed: its position in the log and its filter. It takes what is
 * after its position from the hub's tail — or, when it is behind the tail
 * (resuming from an old id, or too slow to keep up), from a subscription of
 * its own that reads the log until it is back within the tail. Every event
 * after the position is looked at exactly once and the position moves past
 * it, matched or not; the next write waits until the socket has taken the
 * last (`drain`). So a client gets each matching event once, in log order,
 * none skipped, however slow it is or however long it was away.
 */
export class FeedClient implements FeedListener {
  private cursor: LogPosition | null;
  private open = true;
  private waitingForDrain = false;
  /** What the client is waiting for now (the hub, a drain, a catch-up): all ended at once when it goes away. */
  private readonly waits = new Set<() => void>();

  constructor(
    private readonly hub: FeedHub,
    private readonly response: ServerResponse,
    private readonly filter: FeedFilter,
    /** Resume after this position; null: from the live end. */
    after: LogPosition | null,
  ) {
    this.cursor = after ?? hub.position;
    const gone = () => {
      this.open = false;
      for (const wake of [...this.waits]) wake();
    };
    // Already gone (while the request was being authenticated): 'close' has fired and will not again.
    if (response.destroyed) gone();
    else response.once('close', gone);
  }

  /** Serves the client until it goes away or the service stops. */
  async run(): Promise<void> {
    this.hub.attach(this);
    try {
      while (this.open && !this.hub.isClosed) {
        const { categories } = this.filter;
        if (categories && this.hub.nothingAfter(this.cursor, categories)) {
          this.advance(this.hub.position);
          await this.wait((wake) => this.hub.onNext(wake));
          continue;
        }
        const tail = this.hub.after(this.cursor);
        if (tail === null) await this.catchUp();
        else if (tail.length === 0) await this.wait((wake) => this.hub.onNext(wake));
        else await this.send(tail);
      }
    } catch (err) {
      // A stream read the owner filter needed failed (the store is down): the client reconnects with its last id.
      logger.warn({ err }, 'feed client dropped');
    } finally {
      this.hub.detach(this);
      this.close();
    }
  }

  /** Where the client is: every matching event up to here has been written. */
  get position(): LogPosition | null {
    return this.cursor;
  }

  /**
   * A comment, and the client's position as an `id:` without data (no event;
   * an EventSource takes it as its last event id): a client whose filter
   * matched nothing for a while resumes from here, not from its last message.
   */
  keepAlive(): void {
    if (!this.open || this.waitingForDrain) return;
    this.response.write(`: keep-alive\n${this.cursor !== null ? `id: ${feedToken(this.cursor)}\n` : ''}\n`);
  }

  close(): void {
    if (!this.response.writableEnded) this.response.end();
  }

  /**
   * Reads the log from the client's position until the hub's tail covers it.
   * Done at the first page that reaches the tail; or, when no feed event lies
   * between the position and the tail's start (the log's head then was
   * another category's event), once the subscription has scanned past that
   * start (`scannedTo`, SQLite; EventStoreDB does not tell, and its catch-up
   * ends with the next feed event).
   */
  private async catchUp(): Promise<void> {
    let finished = false;
    let wakeUp: (() => void) | null = null;
    const finish = () => {
      finished = true;
      wakeUp?.();
    };
    const subscription = this.hub.events.subscribeToAll(
      { after: this.cursor, streamPrefixes: this.hub.streamPrefixes },
      async (batch) => {
        if (finished) return;
        if (!this.open) return finish();
        const entries = batch.map((event) => this.hub.entryOf(event)).filter((entry): entry is FeedEntry => entry !== null);
        if (entries.length > 0) await this.send(entries);
        if (this.hub.covers(this.cursor)) finish();
      },
      (err) => logger.warn({ err }, 'feed catch-up: store unavailable; retrying'),
    );
    // Every matching event up to scannedTo has been handled (sent) by then: the position may move past the rest.
    const scanned = setInterval(() => {
      const to = subscription.scannedTo;
      if (finished || to === undefined || to === null || !this.hub.covers(to)) return;
      this.advance(to);
      finish();
    }, 100);
    try {
      await this.wait((wake) => {
        if (finished) wake();
        else wakeUp = wake;
        return () => (wakeUp = null);
      });
    } finally {
      finished = true;
      clearInterval(scanned);
      await subscription.stop();
    }
  }

  /** Writes the entries that match, then moves the position past all of them. */
  private async send(entries: readonly FeedEntry[]): Promise<void> {
    let text = '';
    for (const entry of entries) {
      // No await for a sync answer (the usual case): a microtask per entry per client adds up across thousands of clients.
      const matches = this.matches(entry);
      if (matches === true || (matches !== false && (await matches))) text += feedMessage(entry);
    }
    this.advance(entries[entries.length - 1].event.position);
    if (text.length > 0 && this.open && !this.response.write(text)) await this.drained();
  }

  /** Only ever forward: a catch-up may have read past where the hub is, and going back would send events twice. */
  private advance(position: LogPosition | null): void {
    this.cursor = this.hub.later(this.cursor, position);
  }

  /** Synchronous unless the owner filter meets a resource whose owner the feed has not learned yet. */
  private matches(entry: FeedEntry): boolean | Promise<boolean> {
    if (!matchesWithoutOwner(this.filter, entry)) return false;
    const wanted = this.filter.owner;
    if (wanted === undefined) return true;
    const known = this.hub.owners.known(entry);
    if (known !== undefined) return known === wanted;
    return this.hub.owners.of(entry).then((owner) => owner === wanted);
  }

  private async drained(): Promise<void> {
    if (this.response.destroyed || this.response.writableEnded) {
      this.open = false; // a dead socket never drains
      return;
    }
    this.waitingForDrain = true;
    try {
      await this.wait((wake) => {
        this.response.once('drain', wake);
        return () => this.response.off('drain', wake);
      });
    } finally {
      this.waitingForDrain = false;
    }
  }

  /**
   * Waits until `register`'s wake-up is called, or the client goes away.
   * Each wait registers with what it waits for and takes itself back after:
   * nothing long-lived (the client's close, a quiet hub) keeps a reaction per
   * wait, which leaked one per wake-up per client before.
   */
  private wait(register: (wake: () => void) => () => void): Promise<void> {
    if (!this.open) return Promise.resolve();
    return new Promise<void>((resolve) => {
      let woken = false;
      let unregister: (() => void) | null = null;
      const wake = () => {
        if (woken) return;
        woken = true;
        this.waits.delete(wake);
        unregister?.();
        resolve();
      };
      this.waits.add(wake);
      unregister = register(wake);
      if (woken) unregister();
    });
  }
}

/**
 * The SSE message of an entry, formatted once for every client that sends
 * it: `id:` its position token, `event:` its type, `data:` one line of JSON
 * (JSON.stringify writes no line breaks) with its data as /events shows it.
 */
export function feedMessage(entry: FeedEntry): string {
  if (entry.message !== undefined) return entry.message;
  const { event, source } = entry;
  const data = {
    category: source.category,
    id: entry.id,
    stream: event.stream,
    type: event.type,
    revision: event.revision,
    data: source.redact ? source.redact(event.type, event.data) : event.data,
    recordedAt: event.recordedAt.toISOString(),
  };
  entry.message = `id: ${feedToken(event.position)}\nevent: ${event.type}\ndata: ${JSON.stringify(data)}\n\n`;
  return entry.message;
}
