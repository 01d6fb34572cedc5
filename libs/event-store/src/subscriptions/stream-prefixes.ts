import { SubscribeOptions } from '../event-store.port';

/**
 * The prefixes a subscription filters on, `streamPrefix` and `streamPrefixes`
 * together, or null for every stream. An empty list or an empty prefix is
 * refused: both would silently mean "everything" (or "nothing") depending on
 * the adapter, and are far more likely a configuration slip.
 */
export function streamPrefixesOf(options: Pick<SubscribeOptions, 'streamPrefix' | 'streamPrefixes'>): string[] | null {
  const { streamPrefix, streamPrefixes } = options;
  if (streamPrefixes !== undefined && (streamPrefixes.length === 0 || streamPrefixes.includes(''))) {
    throw new Error(`streamPrefixes must list non-empty prefixes, got ${JSON.stringify(streamPrefixes)}`);
  }
  // '' has always meant "no prefix" for streamPrefix.
  const all = [...(streamPrefix ? [streamPrefix] : []), ...(streamPrefixes ?? [])];
  return all.length === 0 ? null : [...new Set(all)];
}
