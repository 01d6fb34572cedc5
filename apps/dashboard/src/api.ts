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

/**
 * A client for this page's Herald. `onFeedOpen` hears when a live feed's answer arrives (the SDK's
 * stream yields messages only, and a feed says nothing until something happens): the views reload
 * then, so nothing that happened before the feed was open is missing from them.
 */
export function createHerald(apiKey: string | null, onFeedOpen: () => void = () => {}): Herald {
  const watchedFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (response.ok && new URL(url, location.href).pathname === '/api/v1/stream') onFeedOpen();
    return response;
  };
  return new Herald({ url: location.origin, fetch: watchedFetch, ...(apiKey ? { apiKey } : {}) });
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
