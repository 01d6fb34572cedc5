import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FeedMessage,
  Herald,
  HeraldBadRequestError,
  HeraldConflictError,
  HeraldError,
  HeraldForbiddenError,
  HeraldNotFoundError,
  HeraldRateLimitedError,
  HeraldUnauthorizedError,
  HeraldUnprocessableError,
} from '@herald/client';
import { eventually } from '@herald/testing';
import { HeraldWorker } from '@herald/worker';
import { RunningHerald, removeDataDir, startHerald, tempDataDir } from '../support/herald';
import { freePort } from '../support/herald-process';
import { NPM, installedProject, npmPack, run, runOrThrow, strayFiles } from '../support/package-project';

/**
 * The TypeScript client SDK (libs/client, `@herald/client`) against the real
 * all-in-one app: every method, the typed errors with API keys and owners,
 * the live feed across a restart of Herald, tasks.watch() with a real worker,
 * the generated types up to date with the served document, and the package
 * as another Node project installs it (npm pack, npm install, require).
 */

const NOWHERE = 'http://127.0.0.1:9/hook'; // reminders defined an hour ahead never call it

/** What a promise rejected with (fails if it resolved). */
async function refusal(promise: Promise<unknown>): Promise<HeraldError> {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`expected a refusal, got ${JSON.stringify(outcome.value)}`);
  if (!(outcome.error instanceof HeraldError)) throw outcome.error;
  return outcome.error;
}

/**
 * An SDK whose feed connections the test can count: one is counted once Herald answered it, when the
 * feed's starting position is fixed (everything recorded later reaches it), so a test need not sleep.
 * Each answered connection's Last-Event-ID (null for none) is kept, and the history reads
 * (`/:id/events`, what tasks.watch() reads on connecting) are counted.
 */
function countingFeeds(url: string, apiKey?: string) {
  const feeds = { opened: 0, lastEventIds: [] as (string | null)[], historyReads: 0 };
  const sdk = new Herald({
    url,
    apiKey,
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      const target = input instanceof Request ? input.url : String(input);
      const { pathname } = new URL(target);
      if (response.ok && pathname === '/api/v1/stream') {
        feeds.opened++;
        feeds.lastEventIds.push((input instanceof Request ? input.headers : new Headers(init?.headers)).get('last-event-id'));
      }
      if (response.ok && pathname.endsWith('/events')) feeds.historyReads++;
      return response;
    },
  });
  const opened = (n = 1) =>
    eventually(
      () => feeds.opened,
      (count) => count >= n,
      { what: 'the feed to connect' },
    );
  return { sdk, opened, feeds };
}

/** Reads an async iterable into `into` in the background until it ends, fails or `stop` aborts it. */
function collect(iterable: AsyncIterable<FeedMessage>, into: FeedMessage[] = []) {
  const done = (async () => {
    for await (const message of iterable) into.push(message);
  })();
  return { messages: into, done };
}

describe('@herald/client against the all-in-one app', () => {
  let herald: RunningHerald;
  let sdk: Herald;
  /** The read side may lag a write by milliseconds: reads retried until found. */
  const visible = <T>(read: () => Promise<T>, accept: (value: T) => boolean = () => true) =>
    eventually(
      () => read().catch((error: unknown) => (error instanceof HeraldNotFoundError ? null : Promise.reject(error))),
      (value) => value !== null && accept(value),
      { timeoutMs: 5_000, what: 'the read side' },
    ) as Promise<T>;

  beforeAll(async () => {
    herald = await startHerald({ RETRY_BASE_DELAY_MS: '50', RETRY_MAX_DELAY_MS: '200' });
    sdk = new Herald({ url: herald.url });
  });

  afterAll(async () => {
    await herald.close();
    removeDataDir(herald.dataDir);
  });

  it('reminders: define (idempotent with a key), get, list, reschedule, events, cancel, retrigger; 400, 404, 409, 422 as typed errors', async () => {
    const key = randomUUID();
    const defined = await sdk.reminders.define({ hours: 1, address: NOWHERE, payload: { orderId: 42 }, owner: 'alice' }, { idempotencyKey: key });
    expect(defined).toEqual({ id: expect.any(String), status: 'Active', timeLeft: expect.any(Number), dueAt: expect.any(String) });
    expect(defined.timeLeft).toBeGreaterThan(3_590);
    const again = await sdk.reminders.define({ hours: 1, address: NOWHERE, payload: { orderId: 42 }, owner: 'alice' }, { idempotencyKey: key });
    expect(again.id).toBe(defined.id);
    const other = await refusal(sdk.reminders.define({ hours: 2, address: NOWHERE, owner: 'alice' }, { idempotencyKey: key }));
    expect([other.constructor, other.status, other.code]).toEqual([HeraldUnprocessableError, 422, 'IdempotencyKeyReused']);

    const reminder = await visible(() => sdk.reminders.get(defined.id));
    expect(reminder).toMatchObject({ id: defined.id, status: 'Active', address: NOWHERE, payload: { orderId: 42 }, owner: 'alice', attempts: 0 });
    const page = await visible(
      () => sdk.reminders.list({ owner: 'alice', status: 'Active', order: 'dueAt', limit: 10 }),
      (p) => p.items.length === 1,
    );
    expect([page.items.map((r) => r.id), page.nextCursor]).toEqual([[defined.id], null]);

    const [later, evenLater] = [1, 2].map((days) => new Date(Date.now() + days * 86_400_000).toISOString());
    const rescheduled = await sdk.reminders.reschedule(defined.id, { dueAt: later });
    expect([rescheduled.status, rescheduled.dueAt]).toEqual(['Active', later]);
    await expect(sdk.reminders.cancel(defined.id)).resolves.toBeUndefined();
    const twice = await refusal(sdk.reminders.cancel(defined.id));
    expect(twice).toBeInstanceOf(HeraldConflictError);
    expect([twice.status, twice.code, twice.message]).toEqual([409, expect.any(String), expect.stringMatching(/Cancelled/)]);
    const retriggered = await sdk.reminders.retrigger(defined.id, { dueAt: evenLater });
    expect([retriggered.status, retriggered.dueAt]).toEqual(['Active', evenLater]);
    const events = await sdk.reminders.events(defined.id);
    expect(events.map((e) => [e.revision, e.type])).toEqual([
      [0, 'ReminderDefined'],
      [1, 'ReminderRescheduled'],
      [2, 'ReminderCancelled'],
      [3, 'ReminderRetriggered'],
    ]);

    const unknown = randomUUID();
    const missing = await refusal(sdk.reminders.get(unknown));
    expect(missing).toBeInstanceOf(HeraldNotFoundError);
    expect([missing.status, missing.code, missing.message, missing.body]).toEqual([
      404,
      'ReminderNotFound',
      expect.stringContaining(unknown),
      { statusCode: 404, error: 'Not Found', code: 'ReminderNotFound', message: missing.message },
    ]);
    const invalid = await refusal(sdk.reminders.define({ seconds: 5, address: 'not a url' }));
    expect(invalid).toBeInstanceOf(HeraldBadRequestError);
    expect([invalid.code, invalid.message]).toEqual(['ValidationFailed', expect.stringMatching(/address/)]);
    expect(Array.isArray((invalid.body as { message: unknown }).message)).toBe(true);
  });

  it('tasks: enqueue (idempotent with a key), get, list with comma lists, pause, resume, cancel, retrigger, events; 409 naming the state', async () => {
    const type = `sdk.tasks-${randomUUID().slice(0, 8)}`;
    const key = randomUUID();
    const task = await sdk.tasks.enqueue({ type, params: { pages: 3 }, owner: 'bob', tags: ['nightly'], priority: 4 }, { idempotencyKey: key });
    expect(task).toMatchObject({ type, params: { pages: 3 }, owner: 'bob', tags: ['nightly'], priority: 4, status: 'Queued', attempt: 0 });
    expect((await sdk.tasks.enqueue({ type, params: { pages: 3 }, owner: 'bob', tags: ['nightly'], priority: 4 }, { idempotencyKey: key })).id).toBe(
      task.id,
    );
    const second = await sdk.tasks.enqueue({ type });

    expect((await visible(() => sdk.tasks.get(task.id))).id).toBe(task.id);
    const listed = await visible(
      () => sdk.tasks.list({ type, status: ['Queued', 'Running'], tag: 'nightly' }),
      (p) => p.items.length === 1,
    );
    expect(listed.items.map((t) => t.id)).toEqual([task.id]);
    const firstPage = await visible(
      () => sdk.tasks.list({ type, limit: 1 }),
      (p) => p.nextCursor !== null,
    );
    const secondPage = await sdk.tasks.list({ type, limit: 1, cursor: firstPage.nextCursor! });
    expect([...firstPage.items, ...secondPage.items].map((t) => t.id).sort()).toEqual([task.id, second.id].sort());

    expect((await sdk.tasks.pause(task.id, { reason: 'maintenance' })).status).toBe('Paused');
    expect((await sdk.tasks.resume(task.id)).status).toBe('Queued');
    const resumeQueued = await refusal(sdk.tasks.resume(task.id));
    expect([resumeQueued.constructor, resumeQueued.status, resumeQueued.message]).toEqual([
      HeraldConflictError,
      409,
      expect.stringMatching(/Queued/),
    ]);
    expect((await sdk.tasks.cancel(task.id, { reason: 'not needed' })).status).toBe('Cancelled');
    expect(await sdk.tasks.retrigger(task.id, { fromCheckpoint: false })).toMatchObject({ status: 'Queued', attempt: 0 });
    expect((await sdk.tasks.cancel(second.id)).status).toBe('Cancelled');
    expect((await sdk.tasks.events(task.id)).map((e) => e.type)).toEqual([
      'TaskEnqueued',
      'TaskPaused',
      'TaskResumed',
      'TaskCancelled',
      'TaskRetriggered',
    ]);
    expect(await refusal(sdk.tasks.pause(randomUUID()))).toBeInstanceOf(HeraldNotFoundError);
    const invalid = await refusal(sdk.tasks.enqueue({ type: 'has spaces' }));
    expect([invalid.constructor, invalid.code]).toEqual([HeraldBadRequestError, 'ValidationFailed']);
  });

  it('schedules: create, get, list, update, pause, resume, trigger, preview, previewSpec, runs, events, remove', async () => {
    const type = `sdk.schedules-${randomUUID().slice(0, 8)}`;
    const schedule = await sdk.schedules.create({ cron: '0 9 * * MON-FRI', timeZone: 'Europe/Berlin', target: { task: { type } }, owner: 'carol' });
    expect(schedule).toMatchObject({ cron: '0 9 * * MON-FRI', timeZone: 'Europe/Berlin', status: 'Active', owner: 'carol', runs: 0 });
    expect((await visible(() => sdk.schedules.get(schedule.id))).id).toBe(schedule.id);
    const listed = await visible(
      () => sdk.schedules.list({ owner: 'carol', status: ['Active', 'Paused'] }),
      (p) => p.items.length === 1,
    );
    expect(listed.items[0].id).toBe(schedule.id);

    expect((await sdk.schedules.update(schedule.id, { cron: '0 10 * * MON-FRI' })).cron).toBe('0 10 * * MON-FRI');
    expect(await sdk.schedules.pause(schedule.id, { note: 'release freeze' })).toMatchObject({ status: 'Paused', pausedNote: 'release freeze' });
    const pausedTwice = await refusal(sdk.schedules.pause(schedule.id));
    expect([pausedTwice.constructor, pausedTwice.status]).toEqual([HeraldConflictError, 409]);
    expect((await sdk.schedules.resume(schedule.id)).status).toBe('Active');
    const triggered = await sdk.schedules.trigger(schedule.id);
    expect(triggered.id).toBe(schedule.id);
    const runs = await visible(
      () => sdk.schedules.runs(schedule.id, { limit: 10 }),
      (p) => p.items.length === 1,
    );
    expect(runs.items[0]).toMatchObject({ outcome: 'fired', manual: true, taskId: expect.any(String) });

    // 10:00 in Berlin on weekdays (as updated): 09:00Z before the switch to summer time on 28 March 2027, 08:00Z after.
    const preview = await sdk.schedules.preview(schedule.id, { count: 3, from: '2027-03-26T08:00:00Z' });
    expect(preview.occurrences).toEqual(['2027-03-26T09:00:00.000Z', '2027-03-29T08:00:00.000Z', '2027-03-30T08:00:00.000Z']);
    const spec = await sdk.schedules.previewSpec({ cron: '30 2 * * *', timeZone: 'Europe/Berlin', count: 3, from: '2027-03-26T12:00:00Z' });
    expect(spec.occurrences).toEqual(['2027-03-27T01:30:00.000Z', '2027-03-28T01:00:00.000Z', '2027-03-29T00:30:00.000Z']);

    const removed = await sdk.schedules.remove(schedule.id);
    expect([removed.status, removed.deleted]).toEqual(['Ended', true]);
    const types = (await sdk.schedules.events(schedule.id)).map((e) => e.type);
    expect(types[0]).toBe('ScheduleCreated');
    expect(types.at(-1)).toBe('ScheduleDeleted');
    expect(await refusal(sdk.schedules.get(randomUUID()))).toBeInstanceOf(HeraldNotFoundError);
    const invalid = await refusal(sdk.schedules.previewSpec({ cron: 'every tuesday' }));
    expect([invalid.constructor, invalid.status]).toEqual([HeraldBadRequestError, 400]);
  });

  it('notifications: publish (idempotent with a key), get, list by channels (a comma list), page by cursor', async () => {
    const [a, b] = [`sdk:${randomUUID()}`, `sdk:${randomUUID()}`];
    const key = randomUUID();
    const first = await sdk.notifications.publish({ channel: a, message: 'invoice run finished', data: { invoices: 1204 } }, { idempotencyKey: key });
    expect(first).toEqual({
      id: expect.any(String),
      channel: a,
      message: 'invoice run finished',
      data: { invoices: 1204 },
      owner: null,
      createdAt: expect.any(String),
    });
    expect(
      (await sdk.notifications.publish({ channel: a, message: 'invoice run finished', data: { invoices: 1204 } }, { idempotencyKey: key })).id,
    ).toBe(first.id);
    const reused = await refusal(sdk.notifications.publish({ channel: a, message: 'else' }, { idempotencyKey: key }));
    expect(reused).toBeInstanceOf(HeraldUnprocessableError);
    const onB = await sdk.notifications.publish({ channel: b, message: 'on b' });
    expect(await visible(() => sdk.notifications.get(first.id))).toEqual(first);
    const both = await visible(
      () => sdk.notifications.list({ channel: [a, b] }),
      (p) => p.items.length === 2,
    );
    expect(both.items.map((n) => n.id)).toEqual([onB.id, first.id]);
    const page = await sdk.notifications.list({ channel: [a, b], limit: 1 });
    const next = await sdk.notifications.list({ channel: [a, b], limit: 1, cursor: page.nextCursor! });
    expect([page.items[0].id, next.items[0].id, next.nextCursor]).toEqual([onB.id, first.id, null]);
  });

  it('stream(): live events as FeedMessages, filtered (lists as comma lists), until break closes the connection', async () => {
    const channel = `sdk:${randomUUID()}`;
    const received: FeedMessage[] = [];
    const watcher = countingFeeds(herald.url);
    const feed = watcher.sdk.stream({ category: ['notification', 'reminder'], type: ['NotificationPublished', 'ReminderCancelled'] });
    const iterating = (async () => {
      for await (const message of feed) {
        received.push(message);
        if (received.length === 2) break;
      }
    })();
    // The feed starts at its live end once connected: everything published after that reaches it.
    await watcher.opened();
    const first = await sdk.notifications.publish({ channel, message: 'hello' });
    const reminder = await sdk.reminders.define({ hours: 1, address: NOWHERE });
    await sdk.reminders.cancel(reminder.id);
    await iterating;
    expect(received.map((m) => [m.category, m.type, m.resourceId])).toEqual([
      ['notification', 'NotificationPublished', first.id],
      ['reminder', 'ReminderCancelled', reminder.id],
    ]);
    expect(received[0]).toEqual({
      id: expect.any(String),
      category: 'notification',
      resourceId: first.id,
      stream: `notification-${first.id}`,
      type: 'NotificationPublished',
      revision: 0,
      data: expect.objectContaining({ channel, message: 'hello' }),
      recordedAt: expect.any(String),
    });
    // `after` resumes right after a message: the reminder's cancellation and nothing else of those types since.
    const resumed: FeedMessage[] = [];
    for await (const message of sdk.stream({ after: received[0].id, category: 'reminder', type: 'ReminderCancelled', id: reminder.id })) {
      resumed.push(message);
      break;
    }
    expect(resumed.map((m) => [m.type, m.id])).toEqual([['ReminderCancelled', received[1].id]]);
    const badQuery = await refusal(sdk.stream({ category: 'reminders' })[Symbol.asyncIterator]().next());
    expect([badQuery.constructor, badQuery.code]).toEqual([HeraldBadRequestError, 'InvalidFeedQuery']);
  });

  it('tasks.watch(): the task’s events from the call on, ending by itself after TaskCompleted, run by a real worker', async () => {
    const type = `sdk.watch-${randomUUID().slice(0, 8)}`;
    const task = await sdk.tasks.enqueue({ type, params: { pages: 3 } });
    const watcher = countingFeeds(herald.url);
    const watched = collect(watcher.sdk.tasks.watch(task.id));
    // The worker starts once the watch is under way (it read the task's history, then its feed connected).
    await watcher.opened();
    const worker = new HeraldWorker({ url: herald.url, pollWaitMs: 1_000, logger: false }).handle<{ pages: number }>(type, async (ctx) => {
      for (let page = 1; page <= ctx.params.pages; page++) await ctx.checkpoint({ page });
      return { pages: ctx.params.pages };
    });
    await worker.start();
    try {
      await Promise.race([watched.done, new Promise((_, reject) => setTimeout(() => reject(new Error('watch did not end')), 15_000))]);
    } finally {
      await worker.stop();
    }
    // Every event after the enqueue, in order, none twice or missing (the log is the judge), the last TaskCompleted.
    const log = herald.streamEvents(`task-${task.id}`).map((e) => e.type);
    expect(watched.messages.map((m) => m.type)).toEqual(log.slice(1));
    expect(watched.messages.map((m) => m.revision)).toEqual(log.slice(1).map((_, i) => i + 1));
    expect(log.at(-1)).toBe('TaskCompleted');
    expect(watched.messages.filter((m) => m.type === 'TaskHeartbeatRecorded').length).toBeGreaterThanOrEqual(3);
    expect(watched.messages.every((m) => m.resourceId === task.id && m.category === 'task')).toBe(true);
    expect(
      (
        await visible(
          () => sdk.tasks.get(task.id),
          (t) => t.status === 'Completed',
        )
      ).result,
    ).toEqual({ pages: 3 });

    // Watching a finished task: its terminal event, then the end.
    const after: FeedMessage[] = [];
    for await (const message of sdk.tasks.watch(task.id)) after.push(message);
    expect(after.map((m) => [m.type, m.revision])).toEqual([['TaskCompleted', log.length - 1]]);
    const unknown = await refusal(sdk.tasks.watch(randomUUID())[Symbol.asyncIterator]().next());
    expect(unknown).toBeInstanceOf(HeraldNotFoundError);
  });

  it('npm run client:generate -- --check: the committed types are those of the document the app serves', async () => {
    const { code, stdout, stderr } = await run(process.execPath, ['-r', '@swc-node/register', 'scripts/client-generate.ts', '--check']);
    if (code !== 0) throw new Error(`libs/client/src/generated/openapi.ts is not up to date (npm run client:generate):\n${stdout}${stderr}`);
    expect(JSON.parse(stdout)).toEqual({ 'libs/client/src/generated/openapi.ts': 'fresh' });
  }, 60_000);
});

describe('@herald/client: stream() resumes across a restart of Herald', () => {
  it('reconnects after the connection drops and gets exactly the events it missed, then live ones: none missed, none twice', async () => {
    const dataDir = tempDataDir();
    const port = String(await freePort());
    let herald = await startHerald({ PORT: port }, dataDir);
    const watcher = countingFeeds(herald.url);
    const sdk = watcher.sdk;
    const stop = new AbortController();
    const feed = collect(sdk.stream({ category: 'reminder', signal: stop.signal }));
    const define = async () => (await sdk.reminders.define({ hours: 1, address: NOWHERE })).id;
    try {
      // Everything defined once the feed connected reaches it.
      await watcher.opened();
      const defined: string[] = [];
      for (let i = 0; i < 10; i++) defined.push(await define());
      await eventually(
        () => feed.messages.length,
        (n) => n === 10,
        { what: 'ten definitions' },
      );

      await herald.close(); // the connection drops; the SDK retries with a backoff
      herald = await startHerald({ PORT: port }, dataDir);
      // Appended before the SDK is back: it must get them, after the ones it had, from the restarted Herald's log.
      for (let i = 0; i < 10; i++) defined.push(await define());
      for (const id of defined.slice(0, 5)) await sdk.reminders.cancel(id);
      await eventually(
        () => feed.messages.length,
        (n) => n >= 25,
        { what: 'the events after the restart', timeoutMs: 30_000 },
      );
      // And live ones after that; then a sentinel: the feed is in log order, so once it arrived nothing else can still come before it.
      const live = await define();
      const sentinel = await define();
      await sdk.reminders.cancel(sentinel);
      await eventually(() => feed.messages.some((m) => m.resourceId === sentinel && m.type === 'ReminderCancelled'), Boolean, {
        what: 'the sentinel after the resume',
      });
      expect(feed.messages.map((m) => [m.type, m.resourceId])).toEqual([
        ...defined.map((id) => ['ReminderDefined', id]),
        ...defined.slice(0, 5).map((id) => ['ReminderCancelled', id]),
        ['ReminderDefined', live],
        ['ReminderDefined', sentinel],
        ['ReminderCancelled', sentinel],
      ]);
      expect(new Set(feed.messages.map((m) => m.id)).size).toBe(28);
    } finally {
      stop.abort();
      await feed.done;
      await herald.close();
      removeDataDir(dataDir);
    }
  }, 90_000);
});

describe('@herald/client: tasks.watch() resumes across a restart of Herald', () => {
  it('reconnects with the last event id and yields the events it missed once each, ending after TaskCancelled', async () => {
    const dataDir = tempDataDir();
    const port = String(await freePort());
    let herald = await startHerald({ PORT: port }, dataDir);
    const watcher = countingFeeds(herald.url);
    const sdk = watcher.sdk;
    const task = await sdk.tasks.enqueue({ type: `sdk.watch-restart-${randomUUID().slice(0, 8)}` });
    const stop = new AbortController();
    const watched = collect(sdk.tasks.watch(task.id, { signal: stop.signal }));
    try {
      // The watch read the history at the call and again once its feed connected: from now on every event comes through the feed.
      await eventually(
        () => watcher.feeds.historyReads,
        (n) => n >= 2,
        { what: 'the watch to be under way' },
      );
      await sdk.tasks.pause(task.id);
      await sdk.tasks.resume(task.id);
      await eventually(
        () => watched.messages.length,
        (n) => n === 2,
        { what: 'the pause and the resume' },
      );

      await herald.close(); // the connection drops; the SDK retries with a backoff
      herald = await startHerald({ PORT: port }, dataDir);
      // Recorded before or after the SDK is back: either way it must get them from the restarted Herald's log.
      await sdk.tasks.pause(task.id, { reason: 'after the restart' });
      await sdk.tasks.resume(task.id);
      await sdk.tasks.cancel(task.id);
      await eventually(
        () => watched.messages.at(-1)?.type,
        (type) => type === 'TaskCancelled',
        { what: 'the events after the restart', timeoutMs: 30_000 },
      );
      await watched.done; // it ends by itself after the terminal event

      const log = herald.streamEvents(`task-${task.id}`).map((e) => e.type);
      expect(log).toEqual(['TaskEnqueued', 'TaskPaused', 'TaskResumed', 'TaskPaused', 'TaskResumed', 'TaskCancelled']);
      // Every event after the call, in order, none missing or twice, each with its feed id (none read again from the history).
      expect(watched.messages.map((m) => [m.type, m.revision])).toEqual(log.slice(1).map((type, i) => [type, i + 1]));
      expect(watched.messages.every((m) => m.id !== '' && m.resourceId === task.id)).toBe(true);
      // The first connection started at the live end; every later one resumed after the last event yielded before the restart.
      const [first, ...resumed] = watcher.feeds.lastEventIds;
      expect(first).toBeNull();
      expect(resumed.length).toBeGreaterThanOrEqual(1);
      expect(new Set(resumed)).toEqual(new Set([watched.messages[1].id]));
      expect(watcher.feeds.historyReads).toBe(2);
    } finally {
      stop.abort(); // ends a watch a failed assertion left reconnecting
      await watched.done.catch(() => undefined);
      await herald.close();
      removeDataDir(dataDir);
    }
  }, 90_000);
});

describe('@herald/client with API keys and owners', () => {
  const KEYS = {
    ops: { id: 'ops', key: 'ops-0123456789abcdef0123', scopes: ['admin'] },
    shop: { id: 'shop', key: 'shop-0123456789abcdef012', scopes: ['read', 'write'], owner: 'shop' },
    other: { id: 'other', key: 'other-0123456789abcdef01', scopes: ['read', 'write'], owner: 'other' },
    reader: { id: 'reader', key: 'reader-0123456789abcdef0', scopes: ['read'] },
  };
  let herald: RunningHerald;
  const as = (who: keyof typeof KEYS) => new Herald({ url: herald.url, apiKey: KEYS[who].key });

  beforeAll(async () => {
    herald = await startHerald({ HERALD_API_KEYS: JSON.stringify(Object.values(KEYS)) });
  });

  afterAll(async () => {
    await herald.close();
    removeDataDir(herald.dataDir);
  });

  it('401 without a key or with an unknown one; 403 without the scope or for another owner', async () => {
    for (const sdk of [new Herald({ url: herald.url }), new Herald({ url: herald.url, apiKey: 'not-a-key-0123456789' })]) {
      const error = await refusal(sdk.tasks.list());
      expect(error).toBeInstanceOf(HeraldUnauthorizedError);
      expect(error.status).toBe(401);
      await expect(sdk.stream()[Symbol.asyncIterator]().next()).rejects.toBeInstanceOf(HeraldUnauthorizedError);
    }
    const scope = await refusal(as('reader').tasks.enqueue({ type: 'sdk.keys' }));
    expect([scope.constructor, scope.status, scope.code]).toEqual([HeraldForbiddenError, 403, 'MissingScope']);
    const owner = await refusal(as('shop').tasks.enqueue({ type: 'sdk.keys', owner: 'other' }));
    expect([owner.constructor, owner.code]).toEqual([HeraldForbiddenError, 'OwnerMismatch']);
    const list = await refusal(as('shop').reminders.list({ owner: 'other' }));
    expect([list.constructor, list.code]).toEqual([HeraldForbiddenError, 'OwnerMismatch']);
    const feed = await refusal(as('shop').stream({ owner: 'other' })[Symbol.asyncIterator]().next());
    expect([feed.constructor, feed.code]).toEqual([HeraldForbiddenError, 'OwnerMismatch']);
  });

  it("keeps owners apart: another owner's resources are 404 like unknown ones, lists and the feed show one's own; 409 and 422 as typed errors", async () => {
    const shopsView = countingFeeds(herald.url, KEYS.shop.key);
    const shop = shopsView.sdk;
    const other = as('other');
    const stop = new AbortController();
    const shopsFeed = collect(shop.stream({ category: 'task', signal: stop.signal }));
    await shopsView.opened();
    const type = `sdk.owners-${randomUUID().slice(0, 8)}`;
    const mine = await shop.tasks.enqueue({ type });
    const theirs = await other.tasks.enqueue({ type });
    expect([mine.owner, theirs.owner]).toEqual(['shop', 'other']);

    const hidden = await refusal(shop.tasks.get(theirs.id));
    expect([hidden.constructor, hidden.code]).toEqual([HeraldNotFoundError, 'TaskNotFound']);
    expect(await refusal(shop.tasks.cancel(theirs.id))).toBeInstanceOf(HeraldNotFoundError);
    expect(await refusal(shop.tasks.events(theirs.id))).toBeInstanceOf(HeraldNotFoundError);
    const listed = await eventually(
      () => as('ops').tasks.list({ type }),
      (p) => p.items.length === 2,
    );
    expect(listed.items.map((t) => t.owner).sort()).toEqual(['other', 'shop']);
    expect((await shop.tasks.list({ type })).items.map((t) => t.id)).toEqual([mine.id]);

    expect((await shop.tasks.cancel(mine.id)).status).toBe('Cancelled');
    const conflict = await refusal(shop.tasks.cancel(mine.id));
    expect([conflict.constructor, conflict.status, conflict.message]).toEqual([HeraldConflictError, 409, expect.stringMatching(/Cancelled/)]);
    const key = randomUUID();
    await shop.notifications.publish({ message: 'once' }, { idempotencyKey: key });
    const reused = await refusal(shop.notifications.publish({ message: 'twice' }, { idempotencyKey: key }));
    expect([reused.constructor, reused.status, reused.code]).toEqual([HeraldUnprocessableError, 422, 'IdempotencyKeyReused']);
    // The same key for the other owner is another notification.
    expect((await other.notifications.publish({ message: 'twice' }, { idempotencyKey: key })).owner).toBe('other');

    await eventually(
      () => shopsFeed.messages.length,
      (n) => n >= 2,
      { what: "the shop's task events" },
    );
    await other.tasks.cancel(theirs.id);
    // A sentinel of the shop's after the other's cancellation: the feed is in log order, so once it arrived the other's would have too.
    const sentinel = await shop.tasks.enqueue({ type });
    await eventually(() => shopsFeed.messages.some((m) => m.resourceId === sentinel.id), Boolean, { what: "the shop's sentinel task" });
    stop.abort();
    await shopsFeed.done;
    expect(shopsFeed.messages.map((m) => [m.resourceId, m.type])).toEqual([
      [mine.id, 'TaskEnqueued'],
      [mine.id, 'TaskCancelled'],
      [sentinel.id, 'TaskEnqueued'],
    ]);
  });
});

describe('@herald/client and rate limits', () => {
  it('throws HeraldRateLimitedError with retryAfterSeconds past the burst', async () => {
    const herald = await startHerald({ RATE_LIMIT_PER_SECOND: '1', RATE_LIMIT_BURST: '1' });
    try {
      const sdk = new Herald({ url: herald.url });
      const outcomes = await Promise.allSettled([sdk.reminders.list(), sdk.reminders.list(), sdk.reminders.list()]);
      const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => o.reason as HeraldRateLimitedError);
      expect(refused.length).toBeGreaterThanOrEqual(1);
      expect(refused[0]).toBeInstanceOf(HeraldRateLimitedError);
      expect([refused[0].status, refused[0].code, refused[0].retryAfterSeconds]).toEqual([429, 'RateLimited', expect.any(Number)]);
      expect(refused[0].retryAfterSeconds).toBeGreaterThanOrEqual(1);
    } finally {
      await herald.close();
      removeDataDir(herald.dataDir);
    }
  });
});

describe('@herald/client as a package another Node project installs', () => {
  let herald: RunningHerald;
  let work: string;

  beforeAll(async () => {
    herald = await startHerald();
    work = mkdtempSync(join(tmpdir(), 'herald-client-pack-'));
  });

  afterAll(async () => {
    await herald.close();
    removeDataDir(herald.dataDir);
    rmSync(work, { recursive: true, force: true });
  });

  it('builds (npm run build:client), packs (npm pack), installs offline into a plain project and is required and imported from plain Node', async () => {
    await runOrThrow('npm run build:client', NPM, ['run', 'build:client']);

    const tarball = await npmPack('./libs/client', work);
    expect(tarball.files).toEqual(
      expect.arrayContaining(['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts', 'dist/generated/openapi.d.ts']),
    );
    expect(strayFiles(tarball)).toEqual([]);
    expect(tarball.files.some((f) => f.includes('.spec.'))).toBe(false);

    // A project of its own, outside the repository: its dependencies are the repository's installed copies, packed (offline).
    const project = await installedProject(join(work, 'consumer'), [tarball]);
    expect(JSON.parse(readFileSync(join(project, 'node_modules/@herald/client/package.json'), 'utf8'))).toMatchObject({ name: '@herald/client' });

    writeFileSync(
      join(project, 'use.cjs'),
      `
      const { Herald, HeraldNotFoundError, HeraldError } = require('@herald/client');
      (async () => {
        const herald = new Herald({ url: process.env.HERALD_URL });
        const task = await herald.tasks.enqueue({ type: 'packed.client', params: { from: 'a tarball' } });
        const feed = herald.stream({ category: 'notification' })[Symbol.asyncIterator]();
        const next = feed.next();
        // The feed starts at its live end once connected: publish until one comes through.
        const notes = [];
        let message = null;
        while (message === null && notes.length < 100) {
          notes.push((await herald.notifications.publish({ message: 'from a plain Node project' })).id);
          message = await Promise.race([next.then((r) => r.value), new Promise((r) => setTimeout(() => r(null), 200))]);
        }
        await feed.return();
        let notFound = null;
        try { await herald.reminders.get('00000000-0000-4000-8000-000000000000'); } catch (e) {
          notFound = { isNotFound: e instanceof HeraldNotFoundError, isHeraldError: e instanceof HeraldError, code: e.code };
        }
        console.log(JSON.stringify({ task, notes, message, notFound }));
      })().catch((e) => { console.error(e); process.exit(1); });
      `,
    );
    const used = await run(process.execPath, ['use.cjs'], '', project, { HERALD_URL: herald.url });
    if (used.code !== 0) throw new Error(`the packed client failed:\n${used.stdout}${used.stderr}`);
    const out = JSON.parse(used.stdout);
    expect(out.task).toMatchObject({ type: 'packed.client', params: { from: 'a tarball' }, status: 'Queued' });
    expect(out.message).toMatchObject({ category: 'notification', type: 'NotificationPublished', stream: `notification-${out.message.resourceId}` });
    expect(out.notes).toContain(out.message.resourceId);
    expect(out.notFound).toEqual({ isNotFound: true, isHeraldError: true, code: 'ReminderNotFound' });
    expect(herald.streamEvents(`task-${out.task.id}`).map((e) => e.type)).toEqual(['TaskEnqueued']);
    expect(used.stderr).not.toMatch(/ExperimentalWarning/);

    // And from an ES module (Node's import of the CommonJS build, named exports and all).
    writeFileSync(
      join(project, 'use.mjs'),
      `import { Herald, HeraldNotFoundError } from '@herald/client';
       const herald = new Herald({ url: process.env.HERALD_URL });
       const error = await herald.tasks.get('00000000-0000-4000-8000-000000000000').catch((e) => e);
       console.log(JSON.stringify({ notFound: error instanceof HeraldNotFoundError, status: error.status }));`,
    );
    const imported = await run(process.execPath, ['use.mjs'], '', project, { HERALD_URL: herald.url });
    if (imported.code !== 0) throw new Error(`importing the packed client failed:\n${imported.stdout}${imported.stderr}`);
    expect(JSON.parse(imported.stdout)).toEqual({ notFound: true, status: 404 });
  }, 180_000);
});
