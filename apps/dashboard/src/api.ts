import { Herald, HeraldError } from '@herald/client';

/**
 * The dashboard talks to the Herald that serves it (same origin), through the client SDK.
 * With API keys configured every call needs one: the page asks for it on the first 401 and
 * keeps it in sessionStorage (this tab only, gone when it closes), never in the URL or on disk.
 */
const KEY_STORAGE = 'herald.dashboard.apiKey';

export function storedKey(): string | null {
  try {
    return sessionStorage.getItem(KEY_STORAGE);
  } catch {
    return null; // storage disabled: the key lives as long as the page
  }
}

export function storeKey(key: string | null): void {
  try {
    if (key) sessionStorage.setItem(KEY_STORAGE, key);
    else sessionStorage.removeItem(KEY_STORAGE);
  } catch {
    // storage disabled: nothing to keep
  }
}

/** The first line of a real feed. A full server's 200 (`retry:` and a comment, then the end) does not start so. */
const FEED_GREETING = ': herald feed';

/**
 * A client for this page's Herald. `onFeedOpen` hears when a live feed opens (the SDK's stream
 * yields messages only, and a feed says nothing until something happens): on its first bytes, when
 * they are the feed's greeting — not on any 200, which may be the server saying it is full. The
 * views reload then, so nothing that happened before the feed was open is missing from them.
 */
export function createHerald(apiKey: string | null, onFeedOpen: () => void = () => {}): Herald {
  const watchedFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!response.ok || !response.body || new URL(url, location.href).pathname !== '/api/v1/stream') return response;
    return new Response(response.body.pipeThrough(watchGreeting(onFeedOpen)), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
  return new Herald({ url: location.origin, fetch: watchedFetch, ...(apiKey ? { apiKey } : {}) });
}

/** Passes a feed's bytes through unchanged, calling `onGreeting` once they start with the feed's greeting. */
function watchGreeting(onGreeting: () => void): TransformStream<Uint8Array, Uint8Array> {
  const decoder = new TextDecoder();
  let seen = '';
  let decided = false;
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      controller.enqueue(chunk);
      if (decided) return;
      seen += decoder.decode(chunk, { stream: true });
      if (seen.startsWith(FEED_GREETING)) {
        decided = true;
        onGreeting();
      } else if (!FEED_GREETING.startsWith(seen)) decided = true; // e.g. `retry:`: the server is full
    },
  });
}

/** A refusal without a usable key (none sent, or one Herald does not know). */
export function isUnauthenticated(error: unknown): boolean {
  return error instanceof HeraldError && error.status === 401;
}

/**
 * What to show for a failed call: the API's own message (the SDK joins the broken rules of a
 * 400 with `; `), prefixed with the status, so "409: …" reads as Herald wrote it.
 */
export function errorText(error: unknown): string {
  if (error instanceof HeraldError) return `${error.status}: ${error.message}`;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** True when the call was aborted (a view left, a feed stopped): not an error to show. */
export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}
