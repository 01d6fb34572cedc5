import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { FeedMessage } from '@herald/client';
import { errorText, isAbort } from '../api';
import { formText } from '../format';
import { useFeed, useFeedOpen, useSession, useTicking, useUnauthorized } from '../context';
import { Item, ListQuery, Resource, compareBy, matchesFilters } from '../resources';
import { href, navigate } from '../router';
import { follow, isNewer } from '../sync';
import { ActionButtons } from './actions';

const PAGE_SIZES = ['10', '20', '50', '100'];
const DEFAULT_LIMIT = '20';

/**
 * A resource's table: the list endpoint's filters (in the URL, so a filtered view can be shared
 * or reloaded), pages by cursor, and live rows. A feed message of this resource re-reads its item
 * and updates its row in place, or — on the first page, when it matches the filters — adds it in
 * the list's order. The page is reloaded whenever the feed (re)opens, so nothing said before it
 * was listening is missing.
 */
export function ListView({ resource, query, create }: { resource: Resource; query: Readonly<Record<string, string>>; create?: ComponentChildren }) {
  const { herald } = useSession();
  const unauthorized = useUnauthorized();
  const filterKey = JSON.stringify([resource.section, query]);
  // The cursors of the pages before this one; other filters start again from the first page.
  const [paging, setPaging] = useState<{ key: string; cursors: (string | null)[] }>({ key: filterKey, cursors: [null] });
  const cursors = paging.key === filterKey ? paging.cursors : [null];
  const setCursors = (change: (cursors: (string | null)[]) => (string | null)[]) =>
    setPaging((p) => ({ key: filterKey, cursors: change(p.key === filterKey ? p.cursors : [null]) }));
  const [rows, setRows] = useState<Item[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  // The first page dropped rows past its size (newer items arrived live): there are more, and the
  // page's nextCursor is stale (Next reads the first page again for a fresh one).
  const [trimmed, setTrimmed] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);
  // Reads after feed messages stop when the view goes.
  const follows = useRef(new AbortController());
  useEffect(() => () => follows.current.abort(), []);
  // Items read live since the current load started: merged into its page when it lands, which would
  // otherwise replace rows added meanwhile.
  const liveSinceLoad = useRef(new Map<string, Item>());
  // Which filters and page the rows on screen belong to.
  const rowsKey = useRef<string | null>(null);
  const rowsRef = useRef(rows);
  rowsRef.current = rows;

  const order = resource.orders.find((o) => o.value === query.order) ?? resource.orders[0];
  const limit = PAGE_SIZES.includes(query.limit) ? query.limit : DEFAULT_LIMIT;
  const cursor = cursors[cursors.length - 1];
  const firstPage = cursor === null;
  const pageKey = JSON.stringify([filterKey, cursor]);

  const apiQuery = (): ListQuery => {
    const q: ListQuery = { limit: Number(limit), order: order.value };
    for (const filter of resource.filters) {
      const value = query[filter.name];
      if (value) q[filter.name] = filter.list ? value.split(',').map((v) => v.trim()) : value;
    }
    return q;
  };

  useEffect(() => {
    const controller = new AbortController();
    const request = apiQuery();
    if (cursor) request.cursor = cursor;
    const live = new Map<string, Item>();
    liveSinceLoad.current = live;
    if (rowsKey.current !== pageKey) {
      // Other filters or another page: the rows shown are not this view's.
      rowsKey.current = pageKey;
      setRows(null);
      setNextCursor(null);
      setTrimmed(false);
    }
    setError(null);
    resource.list(herald, request).then(
      (page) => {
        if (controller.signal.aborted) return;
        setTrimmed(false);
        setRows((current) => {
          // A row a feed message updated while the page was loading may be newer than the page's copy.
          const known = (id: string) => live.get(id) ?? current?.find((row) => row.id === id);
          const next = page.items.map((item) => newerOf(resource, known(item.id), item));
          // Items added live meanwhile that still match (the first page only).
          if (firstPage)
            for (const item of live.values()) if (!next.some((row) => row.id === item.id) && matchesFilters(resource, item, query)) next.push(item);
          if (next.length === page.items.length) return next;
          next.sort(compareBy(order));
          if (next.length > Number(limit)) setTrimmed(true);
          return next.slice(0, Number(limit));
        });
        setNextCursor(page.nextCursor);
      },
      (e: unknown) => {
        if (controller.signal.aborted || isAbort(e)) return;
        if (!unauthorized(e)) setError(errorText(e));
        setRows((current) => current ?? []);
      },
    );
    return () => controller.abort();
  }, [herald, filterKey, cursor, reloads]);

  // What upsert reads when a read after a feed message lands, possibly after the user moved on.
  const shown = useRef({ firstPage, query, order, limit });
  shown.current = { firstPage, query, order, limit };
  const upsert = (item: Item) => {
    liveSinceLoad.current.set(item.id, item);
    setRows((current) => {
      const view = shown.current;
      if (current === null) return current;
      const index = current.findIndex((row) => row.id === item.id);
      if (index >= 0) {
        if (!isNewer(resource, item, current[index])) return current;
        const next = [...current];
        next[index] = item;
        return view.order.field === 'updatedAt' ? next.sort(compareBy(view.order)) : next;
      }
      if (!view.firstPage || !matchesFilters(resource, item, view.query)) return current;
      const next = [...current, item].sort(compareBy(view.order));
      // The page keeps its size: what falls off is on the next pages.
      if (next.length <= Number(view.limit)) return next;
      setTrimmed(true);
      return next.slice(0, Number(view.limit));
    });
  };

  const refresh = (id: string, recordedAt?: string) =>
    follow(resource, herald, id, recordedAt, upsert, follows.current.signal).catch((e: unknown) => {
      if (!isAbort(e) && !unauthorized(e)) console.warn(`reading ${resource.singular} ${id} failed`, e);
    });

  useFeed((message: FeedMessage) => {
    if (message.category !== resource.category) return;
    // Past the first page only rows shown are updated: an item not on it cannot be added.
    if (!shown.current.firstPage && !rowsRef.current?.some((row) => row.id === message.resourceId)) return;
    void refresh(message.resourceId, message.recordedAt);
  });
  useFeedOpen(() => setReloads((n) => n + 1));
  useTicking();

  const goNext = async () => {
    let next = nextCursor;
    if (firstPage && trimmed) {
      // Rows were dropped from this page after it was read: its cursor would skip them.
      try {
        next = (await resource.list(herald, apiQuery())).nextCursor;
      } catch (e) {
        if (!isAbort(e) && !unauthorized(e)) setError(errorText(e));
        return;
      }
    }
    if (next) {
      const after = next;
      setCursors((c) => [...c, after]);
    }
  };

  const setQuery = (changes: Record<string, string | undefined>) => navigate(href(resource.section, null, { ...query, ...changes }), true);

  return (
    <section class="list" aria-label={resource.title}>
      <header class="list-head">
        <h1>{resource.title}</h1>
        {create}
      </header>
      <Filters resource={resource} query={query} onChange={setQuery} />
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      <table class="items" data-resource={resource.section}>
        <thead>
          <tr>
            {resource.columns.map((column) => (
              <th key={column.label}>{column.label}</th>
            ))}
            {resource.section !== 'notifications' ? <th>Actions</th> : null}
          </tr>
        </thead>
        <tbody>
          {rows === null ? (
            <tr class="placeholder">
              <td colSpan={resource.columns.length + 1}>Loading…</td>
            </tr>
          ) : rows.length === 0 ? (
            <tr class="placeholder">
              <td colSpan={resource.columns.length + 1}>No {resource.title.toLowerCase()} here yet.</td>
            </tr>
          ) : (
            rows.map((item) => (
              <tr key={item.id} data-id={item.id} data-status={item.status}>
                {resource.columns.map((column) => (
                  <td key={column.label}>{column.render(item)}</td>
                ))}
                {resource.section !== 'notifications' ? (
                  <td>
                    <ActionButtons
                      id={item.id}
                      actions={resource.rowActions(item)}
                      onDone={(answer) => (answer ? upsert(answer) : void refresh(item.id))}
                    />
                  </td>
                ) : null}
              </tr>
            ))
          )}
        </tbody>
      </table>
      <nav class="pager" aria-label="Pages">
        <button type="button" disabled={firstPage} onClick={() => setCursors(() => [null])}>
          First page
        </button>
        <button type="button" disabled={cursors.length < 2} onClick={() => setCursors((c) => c.slice(0, -1))}>
          Previous
        </button>
        <span class="muted">Page {cursors.length}</span>
        <button type="button" disabled={!nextCursor && !(firstPage && trimmed)} onClick={() => void goNext()}>
          Next
        </button>
        <label class="inline">
          <span>Per page</span>
          <select value={limit} onChange={(e) => setQuery({ limit: e.currentTarget.value })}>
            {PAGE_SIZES.map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </select>
        </label>
      </nav>
    </section>
  );
}

/** Of a row shown and the same item in a page just read, the newer (reminders, tasks; otherwise the page's). */
function newerOf(resource: Resource, shown: Item | undefined, read: Item): Item {
  if (resource.freshness !== 'updatedAt' || typeof shown?.updatedAt !== 'string' || typeof read.updatedAt !== 'string') return read;
  return shown.updatedAt > read.updatedAt ? shown : read;
}

/** The list endpoint's filters as a form: choices apply at once, text on Enter or Apply. */
function Filters({
  resource,
  query,
  onChange,
}: {
  resource: Resource;
  query: Readonly<Record<string, string>>;
  onChange: (changes: Record<string, string | undefined>) => void;
}) {
  const formKey = JSON.stringify(query);
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const changes: Record<string, string | undefined> = {};
    for (const filter of resource.filters) {
      if (filter.type === 'checks')
        changes[filter.name] =
          data
            .getAll(filter.name)
            .filter((v) => typeof v === 'string')
            .join(',') || undefined;
      else changes[filter.name] = formText(data, filter.name).trim() || undefined;
    }
    if (resource.orders.length > 1) changes.order = formText(data, 'order') || undefined;
    onChange(changes);
  };
  const applyNow = (event: Event) => (event.currentTarget as HTMLElement).closest('form')?.requestSubmit();
  return (
    <form class="filters" key={formKey} onSubmit={submit} aria-label="Filters">
      {resource.filters.map((filter) => {
        const value = query[filter.name] ?? '';
        if (filter.type === 'select')
          return (
            <label class="field" key={filter.name}>
              <span>{filter.label}</span>
              <select name={filter.name} value={value} onChange={applyNow}>
                <option value="">any</option>
                {filter.options?.map((option) => (
                  <option key={option} value={option}>
                    {option}
                  </option>
                ))}
              </select>
            </label>
          );
        if (filter.type === 'checks') {
          const chosen = value.split(',');
          return (
            <fieldset class="field checks" key={filter.name}>
              <legend>{filter.label}</legend>
              {filter.options?.map((option) => (
                <label key={option}>
                  <input type="checkbox" name={filter.name} value={option} checked={chosen.includes(option)} onChange={applyNow} />
                  {option}
                </label>
              ))}
            </fieldset>
          );
        }
        return (
          <label class="field" key={filter.name}>
            <span>{filter.label}</span>
            <input name={filter.name} defaultValue={value} />
          </label>
        );
      })}
      {resource.orders.length > 1 ? (
        <label class="field">
          <span>Order</span>
          <select name="order" value={query.order ?? resource.orders[0].value} onChange={applyNow}>
            {resource.orders.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <button type="submit">Apply</button>
    </form>
  );
}
