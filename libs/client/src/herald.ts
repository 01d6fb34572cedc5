import createClient from 'openapi-fetch';
import type { Client } from 'openapi-fetch';
import { heraldError } from './errors';
import { FeedFilter, FeedMessage, FollowOptions, followFeed, watchTask } from './feed';
import type { paths } from './generated/openapi';
import type {
  CreateOptions,
  CreateSchedule,
  DefineReminder,
  DefinedReminder,
  EnqueueTask,
  FeedQuery,
  HistoryEvent,
  Notification,
  NotificationQuery,
  Occurrences,
  Page,
  PauseSchedule,
  PreviewSchedule,
  PublishNotification,
  Reminder,
  ReminderQuery,
  RescheduleReminder,
  RetriggerReminder,
  RetriggerTask,
  Schedule,
  SchedulePreviewQuery,
  ScheduleQuery,
  ScheduleRun,
  ScheduleRunsQuery,
  Task,
  TaskAction,
  TaskQuery,
  UpdateSchedule,
} from './types';

export interface HeraldOptions {
  /** Where Herald answers: `http://127.0.0.1:3000` (a path prefix behind a proxy is kept). */
  url: string;
  /** An API key of HERALD_API_KEYS, sent as `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** The fetch to call (default: the global one, looked up at each call). */
  fetch?: typeof fetch;
}

/** `POST /api/v1/reminders` and the reminder routes. */
export interface RemindersApi {
  define(body: DefineReminder, options?: CreateOptions): Promise<DefinedReminder>;
  get(id: string): Promise<Reminder>;
  list(query?: ReminderQuery): Promise<Page<Reminder>>;
  cancel(id: string): Promise<void>;
  reschedule(id: string, body: RescheduleReminder): Promise<Reminder>;
  retrigger(id: string, body?: RetriggerReminder): Promise<Reminder>;
  events(id: string): Promise<HistoryEvent[]>;
}

/** `POST /api/v1/tasks` and the task routes. */
export interface TasksApi {
  enqueue(body: EnqueueTask, options?: CreateOptions): Promise<Task>;
  get(id: string): Promise<Task>;
  list(query?: TaskQuery): Promise<Page<Task>>;
  pause(id: string, body?: TaskAction): Promise<Task>;
  resume(id: string, body?: TaskAction): Promise<Task>;
  cancel(id: string, body?: TaskAction): Promise<Task>;
  retrigger(id: string, body?: RetriggerTask): Promise<Task>;
  events(id: string): Promise<HistoryEvent[]>;
  /**
   * The task's events from now on, in order, none twice, ending after its terminal
   * event (TaskCompleted, TaskFailed, TaskCancelled); at once with that event if it
   * had already finished. See `watchTask` for the details.
   */
  watch(id: string, options?: { signal?: AbortSignal }): AsyncIterable<FeedMessage>;
}

/** `POST /api/v1/schedules` and the schedule routes. */
export interface SchedulesApi {
  create(body: CreateSchedule, options?: CreateOptions): Promise<Schedule>;
  get(id: string): Promise<Schedule>;
  list(query?: ScheduleQuery): Promise<Page<Schedule>>;
  update(id: string, body: UpdateSchedule): Promise<Schedule>;
  /** `DELETE`: no further runs; the schedule stays readable (status Ended, deleted true). */
  remove(id: string): Promise<Schedule>;
  pause(id: string, body?: PauseSchedule): Promise<Schedule>;
  resume(id: string): Promise<Schedule>;
  /** One extra run now, outside the cron. */
  trigger(id: string): Promise<Schedule>;
  preview(id: string, query?: SchedulePreviewQuery): Promise<Occurrences>;
  /** The occurrences of a cron spec, without creating a schedule. */
  previewSpec(body: PreviewSchedule): Promise<Occurrences>;
  runs(id: string, query?: ScheduleRunsQuery): Promise<Page<ScheduleRun>>;
  events(id: string): Promise<HistoryEvent[]>;
}

/** `POST /api/v1/notifications` and the notification routes. */
export interface NotificationsApi {
  publish(body: PublishNotification, options?: CreateOptions): Promise<Notification>;
  list(query?: NotificationQuery): Promise<Page<Notification>>;
  get(id: string): Promise<Notification>;
}

/** What openapi-fetch answers: the parsed body of a success, or the error body and the response. */
interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The answer's data, or the HeraldError of its status (a network failure was thrown by fetch already). */
async function ok<T>(request: Promise<Answer<T>>): Promise<T> {
  const { data, error, response } = await request;
  if (!response.ok) throw heraldError(response, error);
  return data as T;
}

const idempotency = (options?: CreateOptions) => (options?.idempotencyKey !== undefined ? { 'idempotency-key': options.idempotencyKey } : {});

/**
 * The TypeScript client of Herald's HTTP API, for Node ≥ 20.19 and browsers
 * (fetch only). Each call answers the API's view typed from its OpenAPI
 * document, or throws a HeraldError subclass by status (HeraldNotFoundError,
 * HeraldConflictError, …); `stream()` and `tasks.watch()` follow the live feed.
 *
 * ```ts
 * const herald = new Herald({ url: 'http://127.0.0.1:3000', apiKey: process.env.HERALD_API_KEY });
 * const task = await herald.tasks.enqueue({ type: 'report.export', params: { month: '2026-10' } });
 * for await (const event of herald.tasks.watch(task.id)) console.log(event.type, event.data);
 * ```
 */
export class Herald {
  /** The typed transport (openapi-fetch over the document's `paths`), for routes the SDK does not wrap. */
  readonly client: Client<paths>;
  readonly reminders: RemindersApi;
  readonly tasks: TasksApi;
  readonly schedules: SchedulesApi;
  readonly notifications: NotificationsApi;

  constructor(options: HeraldOptions) {
    const chosenFetch = options.fetch;
    this.client = createClient<paths>({
      baseUrl: options.url,
      // Looked up per call, so a fetch replaced after construction (tests, polyfills) is the one used.
      fetch: (request: Request) => (chosenFetch ?? globalThis.fetch)(request),
      headers: options.apiKey !== undefined ? { authorization: `Bearer ${options.apiKey}` } : {},
      // Lists of values as one comma list (`status=Queued,Running`), as the document describes them (style form, explode false).
      querySerializer: { array: { style: 'form', explode: false } },
    });
    const client = this.client;
    const path = (id: string) => ({ path: { id } });

    this.reminders = {
      define: (body, options) => ok(client.POST('/api/v1/reminders', { body, params: { header: idempotency(options) } })),
      get: (id) => ok(client.GET('/api/v1/reminders/{id}', { params: path(id) })),
      list: (query = {}) => ok(client.GET('/api/v1/reminders', { params: { query } })),
      cancel: (id) => ok(client.DELETE('/api/v1/reminders/{id}', { params: path(id) })),
      reschedule: (id, body) => ok(client.POST('/api/v1/reminders/{id}/reschedule', { params: path(id), body })),
      retrigger: (id, body) => ok(client.POST('/api/v1/reminders/{id}/retrigger', { params: path(id), body })),
      events: (id) => ok(client.GET('/api/v1/reminders/{id}/events', { params: path(id) })),
    };

    this.tasks = {
      enqueue: (body, options) => ok(client.POST('/api/v1/tasks', { body, params: { header: idempotency(options) } })),
      get: (id) => ok(client.GET('/api/v1/tasks/{id}', { params: path(id) })),
      list: (query = {}) => ok(client.GET('/api/v1/tasks', { params: { query } })),
      pause: (id, body) => ok(client.POST('/api/v1/tasks/{id}/pause', { params: path(id), body })),
      resume: (id, body) => ok(client.POST('/api/v1/tasks/{id}/resume', { params: path(id), body })),
      cancel: (id, body) => ok(client.POST('/api/v1/tasks/{id}/cancel', { params: path(id), body })),
      retrigger: (id, body) => ok(client.POST('/api/v1/tasks/{id}/retrigger', { params: path(id), body })),
      events: (id) => ok(client.GET('/api/v1/tasks/{id}/events', { params: path(id) })),
      watch: (id, options = {}) => watchTask(id, (taskId) => this.tasks.events(taskId), this.follow, options.signal),
    };

    this.schedules = {
      create: (body, options) => ok(client.POST('/api/v1/schedules', { body, params: { header: idempotency(options) } })),
      get: (id) => ok(client.GET('/api/v1/schedules/{id}', { params: path(id) })),
      list: (query = {}) => ok(client.GET('/api/v1/schedules', { params: { query } })),
      update: (id, body) => ok(client.PATCH('/api/v1/schedules/{id}', { params: path(id), body })),
      remove: (id) => ok(client.DELETE('/api/v1/schedules/{id}', { params: path(id) })),
      pause: (id, body) => ok(client.POST('/api/v1/schedules/{id}/pause', { params: path(id), body })),
      resume: (id) => ok(client.POST('/api/v1/schedules/{id}/resume', { params: path(id) })),
      trigger: (id) => ok(client.POST('/api/v1/schedules/{id}/trigger', { params: path(id) })),
      preview: (id, query = {}) => ok(client.GET('/api/v1/schedules/{id}/preview', { params: { ...path(id), query } })),
      previewSpec: (body) => ok(client.POST('/api/v1/schedules/preview', { body })),
      runs: (id, query = {}) => ok(client.GET('/api/v1/schedules/{id}/runs', { params: { ...path(id), query } })),
      events: (id) => ok(client.GET('/api/v1/schedules/{id}/events', { params: path(id) })),
    };

    this.notifications = {
      publish: (body, options) => ok(client.POST('/api/v1/notifications', { body, params: { header: idempotency(options) } })),
      list: (query = {}) => ok(client.GET('/api/v1/notifications', { params: { query } })),
      get: (id) => ok(client.GET('/api/v1/notifications/{id}', { params: path(id) })),
    };
  }

  /**
   * The live feed (`GET /api/v1/stream`) as an async iterator, from its live end
   * (or right after `filter.after`). It reconnects by itself after a dropped
   * connection, a 5xx or a 429, with a backoff (the server's `retry:` or
   * `Retry-After` honoured, at most 30 s), resuming after the last message it
   * yielded: nothing is missed or repeated. A 400, 401, 403 (or a network
   * failure of the first connection) is thrown. `break` or `filter.signal`
   * stops it and closes the connection.
   *
   * ```ts
   * for await (const event of herald.stream({ category: 'task', type: ['TaskCompleted', 'TaskFailed'] })) {
   *   console.log(event.type, event.resourceId);
   * }
   * ```
   */
  stream(filter: FeedFilter = {}): AsyncIterable<FeedMessage> {
    return this.follow(filter, {});
  }

  private readonly follow = (filter: FeedFilter, options: FollowOptions) => followFeed(this.connectFeed, filter, options);

  /** One connection of the feed through the typed transport: the body and starting position of a 200, or the HeraldError of a refusal. */
  private readonly connectFeed = async (query: FeedQuery, lastEventId: string | undefined, signal: AbortSignal) => {
    const { data, error, response } = await this.client.GET('/api/v1/stream', {
      params: { query, header: lastEventId !== undefined ? { 'last-event-id': lastEventId } : {} },
      headers: { accept: 'text/event-stream' },
      parseAs: 'stream',
      signal,
    });
    if (!response.ok) throw heraldError(response, error);
    if (!data) throw heraldError(response, 'the feed answered without a body');
    const position = response.headers.get('herald-feed-position');
    return { body: data as ReadableStream<Uint8Array>, ...(position ? { position } : {}) };
  };
}
