import type { ComponentChild } from 'preact';
import type { Herald } from '@herald/client';
import { formatTime, json, progressPercent, relativeTime, shortId, text } from './format';
import { Section, href } from './router';

/**
 * What the dashboard knows of each resource: how to list and read it (the SDK's calls with the
 * list endpoint's filters), its table's columns, the actions a row offers for its status, and
 * how to tell whether a view read after a feed message already shows that message's event.
 * The server decides what is allowed: a row offers the actions its status suggests, the detail
 * view offers every one, and a refusal shows the API's message.
 */

/** A view as the API answers it: the dashboard reads these fields and shows the rest as they come. */
export interface Item {
  readonly id: string;
  readonly status?: string;
  readonly createdAt?: string;
  readonly updatedAt?: string;
  readonly [field: string]: unknown;
}

export interface Page {
  readonly items: readonly Item[];
  readonly nextCursor: string | null;
}

export interface Filter {
  readonly name: string;
  readonly label: string;
  /** `select`: one value or any; `checks`: several (any of them); `text`: free text. */
  readonly type: 'select' | 'checks' | 'text';
  readonly options?: readonly string[];
  /** The API takes a list (sent as a comma list); a text filter's value is split at its commas. */
  readonly list?: boolean;
}

/** A list call's query: the URL's filters (lists split), the page size, the order, the cursor. */
export type ListQuery = Record<string, string | number | string[]>;

export interface Column {
  readonly label: string;
  readonly render: (item: Item) => ComponentChild;
}

export interface Action {
  readonly label: string;
  /** The API call; answers the item's new view when the API returns one. */
  readonly run: (herald: Herald) => Promise<unknown>;
}

export interface Order {
  readonly value: string;
  readonly label: string;
  readonly field: string;
  readonly direction: 'asc' | 'desc';
}

export type Category = 'reminder' | 'task' | 'schedule' | 'notification';

export interface Resource {
  readonly section: Section;
  readonly category: Category;
  readonly title: string;
  readonly singular: string;
  readonly filters: readonly Filter[];
  readonly orders: readonly Order[];
  readonly list: (herald: Herald, query: ListQuery) => Promise<Page>;
  readonly get: (herald: Herald, id: string) => Promise<Item>;
  readonly columns: readonly Column[];
  readonly rowActions: (item: Item) => readonly Action[];
  /**
   * How a read after a feed message is known to show it: `updatedAt` (the view's updatedAt is its
   * last event's recordedAt: reminders, tasks), `settle` (read again a little later: a schedule's
   * updatedAt is its decision's time), `immutable` (notifications never change).
   */
  readonly freshness: 'updatedAt' | 'settle' | 'immutable';
}

const asPage = (page: unknown): Page => page as Page;
const asItem = (item: unknown): Item => item as Item;

export function StatusBadge({ status }: { status: unknown }) {
  const value = text(status);
  return <span class={`status status-${value}`}>{value}</span>;
}

function IdLink({ section, id }: { section: Section; id: string }) {
  return (
    <a class="id" href={href(section, id)} title={id}>
      {shortId(id)}
    </a>
  );
}

function When({ at, hint = false }: { at: unknown; hint?: boolean }) {
  if (typeof at !== 'string') return <span class="muted">—</span>;
  return (
    <time dateTime={at} title={at}>
      {formatTime(at)}
      {hint ? <span class="muted"> ({relativeTime(at)})</span> : null}
    </time>
  );
}

export function Progress({ progress }: { progress: unknown }) {
  if (progress === null || progress === undefined) return <span class="muted">—</span>;
  const percent = progressPercent(progress);
  return (
    <span class="progress" title={json(progress)}>
      {percent !== null ? <progress max={100} value={percent} /> : null}
      <span>{percent !== null ? `${Math.round(percent)} %` : json(progress)}</span>
    </span>
  );
}

// ---------------------------------------------------------------------------

const REMINDER_STATUSES = ['Active', 'Completed', 'Failed', 'Cancelled'] as const;

export const reminders: Resource = {
  section: 'reminders',
  category: 'reminder',
  title: 'Reminders',
  singular: 'reminder',
  filters: [
    { name: 'status', label: 'Status', type: 'select', options: REMINDER_STATUSES },
    { name: 'owner', label: 'Owner', type: 'text' },
    { name: 'scheduleId', label: 'Schedule id', type: 'text' },
  ],
  orders: [
    { value: 'createdAt', label: 'Newest first', field: 'createdAt', direction: 'desc' },
    { value: 'dueAt', label: 'Soonest due first', field: 'dueAt', direction: 'asc' },
  ],
  list: async (herald, query) => asPage(await herald.reminders.list(query)),
  get: async (herald, id) => asItem(await herald.reminders.get(id)),
  columns: [
    { label: 'Id', render: (r) => <IdLink section="reminders" id={r.id} /> },
    { label: 'Status', render: (r) => <StatusBadge status={r.status} /> },
    { label: 'Due', render: (r) => <When at={r.status === 'Active' ? (r.nextAttemptAt ?? r.dueAt) : r.dueAt} hint={r.status === 'Active'} /> },
    { label: 'Address', render: (r) => <span class="address">{text(r.address)}</span> },
    { label: 'Attempts', render: (r) => `${text(r.attempts)} / ${text(r.maxAttempts)}` },
    { label: 'Owner', render: (r) => text(r.owner) },
    { label: 'Last error', render: (r) => <span class="error-text">{r.lastError ? text(r.lastError) : ''}</span> },
  ],
  rowActions: (r) =>
    r.status === 'Active'
      ? [
          { label: 'Cancel', run: (h) => h.reminders.cancel(r.id) },
          { label: 'Snooze 5 min', run: (h) => h.reminders.reschedule(r.id, { minutes: 5 }) },
        ]
      : r.status === 'Failed' || r.status === 'Cancelled'
        ? [{ label: 'Retrigger', run: (h) => h.reminders.retrigger(r.id) }]
        : [],
  freshness: 'updatedAt',
};

const TASK_STATUSES = ['Queued', 'Running', 'Pausing', 'Paused', 'Cancelling', 'Cancelled', 'Completed', 'Failed'] as const;

export const tasks: Resource = {
  section: 'tasks',
  category: 'task',
  title: 'Tasks',
  singular: 'task',
  filters: [
    { name: 'status', label: 'Status', type: 'checks', options: TASK_STATUSES, list: true },
    { name: 'type', label: 'Type', type: 'text' },
    { name: 'owner', label: 'Owner', type: 'text' },
    { name: 'tag', label: 'Tag', type: 'text' },
    { name: 'scheduleId', label: 'Schedule id', type: 'text' },
  ],
  orders: [
    { value: 'createdAt', label: 'Newest first', field: 'createdAt', direction: 'desc' },
    { value: 'updatedAt', label: 'Latest change first', field: 'updatedAt', direction: 'desc' },
  ],
  list: async (herald, query) => asPage(await herald.tasks.list(query)),
  get: async (herald, id) => asItem(await herald.tasks.get(id)),
  columns: [
    { label: 'Id', render: (t) => <IdLink section="tasks" id={t.id} /> },
    { label: 'Status', render: (t) => <StatusBadge status={t.status} /> },
    { label: 'Type', render: (t) => <code>{text(t.type)}</code> },
    { label: 'Progress', render: (t) => <Progress progress={t.progress} /> },
    { label: 'Attempt', render: (t) => `${text(t.attempt)} / ${text(t.maxAttempts)}` },
    { label: 'Priority', render: (t) => text(t.priority) },
    { label: 'Owner', render: (t) => text(t.owner) },
    { label: 'Updated', render: (t) => <When at={t.updatedAt} /> },
  ],
  rowActions: (t) => {
    const pause: Action = { label: 'Pause', run: (h) => h.tasks.pause(t.id) };
    const resume: Action = { label: 'Resume', run: (h) => h.tasks.resume(t.id) };
    const cancel: Action = { label: 'Cancel', run: (h) => h.tasks.cancel(t.id) };
    const retrigger: Action = { label: 'Retrigger', run: (h) => h.tasks.retrigger(t.id) };
    switch (t.status) {
      case 'Queued':
      case 'Running':
        return [pause, cancel];
      case 'Paused':
      case 'Pausing':
        return [resume, cancel];
      case 'Failed':
      case 'Cancelled':
        return [retrigger];
      default:
        return [];
    }
  },
  freshness: 'updatedAt',
};

const SCHEDULE_STATUSES = ['Active', 'Paused', 'Ended'] as const;

/** A schedule's target in a few words: where its reminders go, or which task type it enqueues. */
export function targetText(target: unknown): string {
  const t = target as { reminder?: { address?: unknown }; task?: { type?: unknown } } | null;
  if (t?.reminder) return `reminder → ${text(t.reminder.address)}`;
  if (t?.task) return `task ${text(t.task.type)}`;
  return json(target);
}

export const schedules: Resource = {
  section: 'schedules',
  category: 'schedule',
  title: 'Schedules',
  singular: 'schedule',
  filters: [
    { name: 'status', label: 'Status', type: 'checks', options: SCHEDULE_STATUSES, list: true },
    { name: 'owner', label: 'Owner', type: 'text' },
  ],
  orders: [{ value: 'createdAt', label: 'Newest first', field: 'createdAt', direction: 'desc' }],
  list: async (herald, query) => asPage(await herald.schedules.list(withoutOrder(query))),
  get: async (herald, id) => asItem(await herald.schedules.get(id)),
  columns: [
    { label: 'Id', render: (s) => <IdLink section="schedules" id={s.id} /> },
    { label: 'Status', render: (s) => <StatusBadge status={s.status} /> },
    { label: 'Cron', render: (s) => <code>{`${text(s.cron)} (${text(s.timeZone)})`}</code> },
    { label: 'Target', render: (s) => targetText(s.target) },
    { label: 'Next run', render: (s) => <When at={s.nextRunAt} hint /> },
    { label: 'Runs', render: (s) => `${text(s.runs)} (${text(s.skipped)} skipped, ${text(s.missed)} missed)` },
    { label: 'Owner', render: (s) => text(s.owner) },
  ],
  rowActions: (s) => {
    const trigger: Action = { label: 'Trigger', run: (h) => h.schedules.trigger(s.id) };
    if (s.status === 'Active') return [{ label: 'Pause', run: (h) => h.schedules.pause(s.id) }, trigger];
    if (s.status === 'Paused') return [{ label: 'Resume', run: (h) => h.schedules.resume(s.id) }, trigger];
    return [];
  },
  freshness: 'settle',
};

export const notifications: Resource = {
  section: 'notifications',
  category: 'notification',
  title: 'Notifications',
  singular: 'notification',
  filters: [
    { name: 'channel', label: 'Channels (comma list)', type: 'text', list: true },
    { name: 'owner', label: 'Owner', type: 'text' },
  ],
  orders: [{ value: 'createdAt', label: 'Newest first', field: 'createdAt', direction: 'desc' }],
  list: async (herald, query) => asPage(await herald.notifications.list(withoutOrder(query))),
  get: async (herald, id) => asItem(await herald.notifications.get(id)),
  columns: [
    { label: 'Id', render: (n) => <IdLink section="notifications" id={n.id} /> },
    { label: 'Published', render: (n) => <When at={n.createdAt} /> },
    { label: 'Channel', render: (n) => <code>{text(n.channel)}</code> },
    { label: 'Message', render: (n) => <span class="message">{text(n.message)}</span> },
    { label: 'Data', render: (n) => <code class="data">{n.data === null || n.data === undefined ? '' : json(n.data)}</code> },
    { label: 'Owner', render: (n) => text(n.owner) },
  ],
  rowActions: () => [],
  freshness: 'immutable',
};

export const RESOURCES: Record<Section, Resource> = { reminders, tasks, schedules, notifications };

export const CATEGORY_RESOURCE: Record<Category, Resource> = {
  reminder: reminders,
  task: tasks,
  schedule: schedules,
  notification: notifications,
};

/** Schedules and notifications have one order and take no `order` parameter. */
function withoutOrder(query: ListQuery): ListQuery {
  const { order: _order, ...rest } = query;
  return rest;
}

/**
 * Whether an item belongs in a list with these filters: a live-created item is added to the
 * first page only if so. Free-text filters the API matches exactly are matched exactly here.
 */
export function matchesFilters(resource: Resource, item: Item, query: Readonly<Record<string, string>>): boolean {
  for (const filter of resource.filters) {
    const wanted = query[filter.name];
    if (wanted === undefined || wanted === '') continue;
    const value = item[filter.name];
    if (filter.name === 'tag') {
      if (!Array.isArray(item.tags) || !item.tags.includes(wanted)) return false;
    } else if (filter.list) {
      if (
        !wanted
          .split(',')
          .map((s) => s.trim())
          .includes(text(value))
      )
        return false;
    } else if (text(value) !== wanted) return false;
  }
  return true;
}

/** The list's order as a comparison, to keep a live-updated page in the order the API gave it. */
export function compareBy(order: Order): (a: Item, b: Item) => number {
  return (a, b) => {
    const x = text(a[order.field]);
    const y = text(b[order.field]);
    // Ties by id, as the list endpoint's cursor does.
    const c = x < y ? -1 : x > y ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    return order.direction === 'asc' ? c : -c;
  };
}
