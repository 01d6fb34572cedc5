import { createContext } from 'preact';
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import type { FeedMessage, Herald } from '@herald/client';
import { isUnauthenticated } from './api';
import type { LiveFeed } from './live';

export interface Session {
  readonly herald: Herald;
  readonly feed: LiveFeed;
  /** Tell the page a call was refused for want of a key: it asks for one. */
  readonly unauthorized: (message: string) => void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside the SessionContext');
  return session;
}

/** Reports a 401 to the page (which asks for a key) and says whether it was one. */
export function useUnauthorized(): (error: unknown) => boolean {
  const { unauthorized } = useSession();
  return (error) => {
    if (!isUnauthenticated(error)) return false;
    unauthorized(error instanceof Error ? error.message : String(error));
    return true;
  };
}

/** Calls `listener` with every feed message while the component is mounted (the latest listener, without resubscribing). */
export function useFeed(listener: (message: FeedMessage) => void): void {
  const { feed } = useSession();
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => feed.subscribe((message) => latest.current(message)), [feed]);
}

/** Calls `listener` each time the feed opens (first and after a reconnect): time to reload what is shown. */
export function useFeedOpen(listener: () => void): void {
  const { feed } = useSession();
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => feed.onOpen(() => latest.current()), [feed]);
}

/** Renders the component again every `ms`, so relative times ("in 25 s") stay true. */
export function useTicking(ms = 1000): void {
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), ms);
    return () => clearInterval(timer);
  }, [ms]);
}
