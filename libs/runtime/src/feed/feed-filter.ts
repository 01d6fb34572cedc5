import { RecordedEvent } from '@herald/event-store';
import { FeedSource } from './feed-source';

/** What one feed client asked for; every field narrows (absent: everything). */
export interface FeedFilter {
  readonly categories?: ReadonlySet<string>;
  readonly id?: string;
  /** Set for a key limited to an owner whatever the query says, or by `?owner=`. */
  readonly owner?: string;
  readonly types?: ReadonlySet<string>;
  /** Only events on these channels (notifications): events of sources without channels never match. */
  readonly channels?: ReadonlySet<string>;
}

/** One event of the feed with what the filters read, worked out once for all clients. */
export interface FeedEntry {
  readonly event: RecordedEvent;
  readonly source: FeedSource;
  /** The resource id: the stream name after the source's prefix. */
  readonly id: string;
  /** Its SSE message, formatted by the first client that sends it (feedMessage). */
  message?: string;
}

export function feedEntry(event: RecordedEvent, source: FeedSource): FeedEntry {
  return { event, source, id: event.stream.slice(source.streamPrefix.length) };
}

/**
 * Whether an entry passes everything but the owner, which may need a lookup
 * (FeedOwners): the cheap checks first, so most entries never need one.
 */
export function matchesWithoutOwner(filter: FeedFilter, entry: FeedEntry): boolean {
  if (filter.categories && !filter.categories.has(entry.source.category)) return false;
  if (filter.id !== undefined && filter.id !== entry.id) return false;
  if (filter.types && !filter.types.has(entry.event.type)) return false;
  if (filter.channels) {
    const channel = entry.source.channelOf?.(entry.event);
    if (channel === undefined || !filter.channels.has(channel)) return false;
  }
  return true;
}

/** A comma-separated query value as a set of its non-empty items; undefined when absent or empty. */
export function listOf(value: string | undefined): Set<string> | undefined {
  if (value === undefined) return undefined;
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
  return items.length > 0 ? new Set(items) : undefined;
}
