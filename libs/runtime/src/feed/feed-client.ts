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
  /** Ends the current wait early: the client went away. */
  private interrupt: (() => void) | null = null;

  constructor(
    private readonly hub: FeedHub,
    private readonly response: ServerResponse,
    private readonly filter: FeedFilter,
    /** Resume after this position; null: from the live end. */
    after: LogPosition | null,
  ) {
    this.cursor = after ?? hub.position;
    response.once('close', () => {
      this.open = false;
      this.interrupt?.();
    });
  }

  /** Serves the client until it goes away or the service stops. */
  async run(): Promise<void> {
    this.hub.attach(this);
    try {
      while (this.open && !this.hub.isClosed) {
        const { categories } = this.filter;
        if (categories && this.hub.nothingAfter(this.cursor, categories)) {
          this.cursor = this.hub.position;
          await this.until(this.hub.next());
          continue;
        }
        const tail = this.hub.after(this.cursor);
        if (tail === null) await this.catchUp();
        else if (tail.length === 0) await this.until(this.hub.next());
        else await this.send(tail);
      }
    } catch (err) {
      // A lookup the owner filter needed failed (the read side is down): the client reconnects with its last id.
      logger.warn({ err }, 'feed client dropped');
    } finally {
      this.hub.detach(this);
      this.close();
    }
  }

  keepAlive(): void {
    if (this.open && !this.waitingForDrain) this.response.write(': keep-alive\n\n');
  }

  close(): void {
    if (!this.response.writableEnded) this.response.end();
  }

  /** Reads the log from the client's position until the hub's tail covers it. */
  private async catchUp(): Promise<void> {
    let finished = false;
    let done!: () => void;
    const caughtUp = new Promise<void>((resolve) => (done = resolve));
    const subscription = this.hub.events.subscribeToAll(
      { after: this.cursor, streamPrefixes: this.hub.streamPrefixes },
      async (batch) => {
        if (finished || !this.open) return;
        const entries = batch.map((event) => this.hub.entryOf(event)).filter((entry): entry is FeedEntry => entry !== null);
        if (entries.length > 0) await this.send(entries);
        if (this.hub.covers(this.cursor)) {
          finished = true;
          done();
        }
      },
      (err) => logger.warn({ err }, 'feed catch-up: store unavailable; retrying'),
    );
    try {
      await this.until(caughtUp);
    } finally {
      finished = true;
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
    this.cursor = entries[entries.length - 1].event.position;
    if (text.length > 0 && this.open && !this.response.write(text)) await this.drained();
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
    this.waitingForDrain = true;
    try {
      await this.until(new Promise((resolve) => this.response.once('drain', resolve)));
    } finally {
      this.waitingForDrain = false;
    }
  }

  /**
   * Waits for `event`, or less if the client goes away. Not Promise.race with
   * a promise of the client's close: every race would leave a reaction on
   * that long-lived promise, a leak of one per wake-up per client (hundreds
   * of MB in an hour of a busy feed). The promises waited for here settle
   * soon (the hub makes a new one per batch), and take their reactions along.
   */
  private until(event: Promise<unknown>): Promise<void> {
    if (!this.open) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.interrupt = resolve;
      void event.then(() => resolve());
    }).finally(() => {
      this.interrupt = null;
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
