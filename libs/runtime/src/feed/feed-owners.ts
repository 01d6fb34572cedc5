import { FeedEntry } from './feed-filter';

/**
 * Who owns the resources the feed passes, for its owner filter. Learned from
 * the events that state it (a creation) as they go by, so a resource created
 * while the feed runs never needs a lookup; others are asked of their
 * source's read side once and kept. At most `capacity` entries, the oldest
 * learned dropped first (Map keeps insertion order). Only found owners are
 * kept: a view not projected yet is asked again next time.
 */
export class FeedOwners {
  private readonly owners = new Map<string, string | null>();

  constructor(private readonly capacity: number) {}

  /** Learns the owner an entry's event states, if it states one. */
  learn(entry: FeedEntry): void {
    const owner = entry.source.ownerIn(entry.event);
    if (owner !== undefined) this.remember(entry.event.stream, owner);
  }

  /** The entry's owner: known, or looked up (null: none, or not known yet). */
  async of(entry: FeedEntry): Promise<string | null> {
    const known = this.owners.get(entry.event.stream);
    if (known !== undefined) return known;
    const found = await entry.source.lookupOwner(entry.id);
    if (found !== null) this.remember(entry.event.stream, found);
    return found;
  }

  /** Known without a lookup: the owner, null for none, undefined when it would take one. */
  known(entry: FeedEntry): string | null | undefined {
    return this.owners.get(entry.event.stream);
  }

  get size(): number {
    return this.owners.size;
  }

  private remember(stream: string, owner: string | null): void {
    if (this.owners.has(stream)) return;
    if (this.owners.size >= this.capacity) this.owners.delete(this.owners.keys().next().value as string);
    this.owners.set(stream, owner);
  }
}
