import { EventStore } from '@herald/event-store';
import { FeedEntry } from './feed-filter';

/**
 * Who owns the resources the feed passes, for its owner filter. Learned from
 * the events that state it (a creation) as they go by, so a resource created
 * while the feed runs never needs a lookup; for the others the stream itself
 * is read once (the log always has the creation; a read-side view may not be
 * projected yet, and an event left out for want of an owner would be lost to
 * that client). At most `capacity` entries, the oldest learned dropped first
 * (Map keeps insertion order); a lookup under way is shared by every client
 * that needs it.
 */
export class FeedOwners {
  private readonly owners = new Map<string, string | null>();
  private readonly pending = new Map<string, Promise<string | null>>();

  constructor(
    private readonly capacity: number,
    private readonly events: Pick<EventStore, 'readStream'>,
  ) {}

  /** Learns the owner an entry's event states, if it states one. */
  learn(entry: FeedEntry): void {
    const owner = entry.source.ownerIn(entry.event);
    if (owner !== undefined) this.remember(entry.event.stream, owner);
  }

  /** The entry's owner (null: none): known, or read from its stream. */
  of(entry: FeedEntry): Promise<string | null> {
    const { stream } = entry.event;
    const known = this.owners.get(stream);
    if (known !== undefined) return Promise.resolve(known);
    let lookup = this.pending.get(stream);
    if (!lookup) {
      lookup = this.readOwner(entry).finally(() => this.pending.delete(stream));
      this.pending.set(stream, lookup);
    }
    return lookup;
  }

  /** Known without a lookup: the owner, null for none, undefined when it would take one. */
  known(entry: FeedEntry): string | null | undefined {
    return this.owners.get(entry.event.stream);
  }

  get size(): number {
    return this.owners.size;
  }

  private async readOwner(entry: FeedEntry): Promise<string | null> {
    for (const event of await this.events.readStream(entry.event.stream)) {
      const owner = entry.source.ownerIn(event);
      if (owner === undefined) continue;
      this.remember(entry.event.stream, owner);
      return owner;
    }
    return null; // a stream without its creation event: nobody's (no owner-limited key sees it)
  }

  private remember(stream: string, owner: string | null): void {
    if (this.owners.has(stream)) return;
    if (this.owners.size >= this.capacity) this.owners.delete(this.owners.keys().next().value as string);
    this.owners.set(stream, owner);
  }
}
