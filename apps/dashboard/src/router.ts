import { useEffect, useState } from 'preact/hooks';

/**
 * Hash routing (`#/tasks?status=Queued`, `#/tasks/<id>`): every view has a URL to share or
 * reload, and the server needs no fallback route — /dashboard/ only ever serves files.
 */
export type Section = 'reminders' | 'tasks' | 'schedules' | 'notifications';
export const SECTIONS: readonly Section[] = ['reminders', 'tasks', 'schedules', 'notifications'];

export interface Route {
  readonly section: Section;
  /** The item of a detail view. */
  readonly id: string | null;
  /** The list's filters and page size. */
  readonly query: Readonly<Record<string, string>>;
}

export function parseHash(hash: string): Route {
  const [path, search = ''] = hash.replace(/^#/, '').split('?', 2);
  const [section, id] = path.split('/').filter(Boolean);
  const query: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(search)) if (value !== '') query[name] = value;
  return {
    section: (SECTIONS as readonly string[]).includes(section) ? (section as Section) : 'reminders',
    id: id ? decodeURIComponent(id) : null,
    query,
  };
}

export function href(section: Section, id?: string | null, query: Record<string, string | undefined> = {}): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') search.set(name, value);
  const tail = search.toString() ? `?${search.toString()}` : '';
  return `#/${section}${id ? `/${encodeURIComponent(id)}` : ''}${tail}`;
}

export function navigate(to: string, replace = false): void {
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  // pushState fires no event of its own: tell useRoute.
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const changed = () => setRoute(parseHash(location.hash));
    window.addEventListener('hashchange', changed);
    window.addEventListener('popstate', changed);
    return () => {
      window.removeEventListener('hashchange', changed);
      window.removeEventListener('popstate', changed);
    };
  }, []);
  return route;
}
