import type { Database } from 'better-sqlite3';
import { EventSource } from 'eventsource';
import { FeedHub, SQLITE } from '@herald/runtime';
import { eventually } from '@herald/testing';
import { RunningHerald, call, removeDataDir, startHerald, tempDataDir } from '../support/herald';
import { freePort } from '../support/herald-process';
import { SseReader } from '../support/sse';
import { rawFeed } from '../support/raw-feed';

interface FeedData {
  category: string;
  id: string;
  stream: string;
  type: string;
  revision: number;
  data: Record<string, unknown>;
  recordedAt: string;
}

const REMINDER = { address: 'http://127.0.0.1:9/hook', hours: 1 };
const position = (token: string) => Buffer.from(token, 'base64url').toString('utf8');

describe('the live feed GET /api/v1/stream (all-in-one over SQLite, real HTTP clients)', () => {
  let herald: RunningHerald;
  const readers: SseReader[] = [];
  const open = async (path: string, headers: Record<string, string> = {}) => {
    const reader = await SseReader.open(`${herald.url}${path}`, headers);
    readers.push(reader);
    return reader;
  };
  const define = async (extra: Record<string, unknown> = {}) => {
    const r = await call(`${herald.url}/api/v1/reminders`, { method: 'POST', json: { ...REMINDER, ...extra } });
    expect(r.status).toBe(201);
    return r.body.id as string;
  };
  const cancel = async (id: string) => expect((await call(`${herald.url}/api/v1/reminders/${id}`, { method: 'DELETE' })).status).toBe(204);
  /** The reminder events after a position, in log order, read straight from the SQLite file: what a feed must deliver. */
  const reminderEventsAfter = (after: string) =>
    (
      herald.app
        .get<{ get(): Database }>(SQLITE)
        .get()
        .prepare("SELECT position, stream, type FROM events WHERE position > ? AND stream LIKE 'reminder-%' ORDER BY position")
        .all(Number(after)) as { position: number; stream: string; type: string }[]
    ).map((e) => `${e.stream} ${e.type}`);

  const lastPosition = async () => (await herald.app.get(FeedHub).events.headPosition())!;

  beforeAll(async () => {
    // A tail of 100 events: a client 1,000 behind must read the log itself, then join the tail.
    herald = await startHerald({ FEED_BUFFER_EVENTS: '100', FEED_KEEPALIVE_MS: '1000' });
  });

  afterEach(() => readers.splice(0).forEach((r) => r.close()));

  afterAll(async () => {
    await herald.close();
    removeDataDir(herald.dataDir);
  });

  it('starts at the live end and sends each new event as id / event / data, the data as /events shows it (header values redacted)', async () => {
    const earlier = await define();
    const feed = await open('/api/v1/stream?category=reminder');
    expect([feed.status, feed.contentType]).toEqual([200, 'text/event-stream; charset=utf-8']);
    expect(position(feed.startPosition!)).toBe(await lastPosition()); // starts after the head
    const id = await define({ headers: { authorization: 'Bearer s3cret' } });
    await cancel(id);
    await eventually(
      () => feed.messages.length,
      (n) => n >= 2,
      { what: 'two feed messages' },
    );
    const data = feed.data<FeedData>();
    expect(data.map((d) => [d.type, d.id, d.revision])).toEqual([
      ['ReminderDefined', id, 0],
      ['ReminderCancelled', id, 1],
    ]);
    expect(data[0]).toMatchObject({ category: 'reminder', stream: `reminder-${id}` });
    expect(data[0].data.headers).toEqual({ authorization: '[redacted]' });
    expect(Date.parse(data[0].recordedAt)).not.toBeNaN();
    expect(feed.messages.map((m) => m.event)).toEqual(['ReminderDefined', 'ReminderCancelled']);
    expect(data.some((d) => d.id === earlier)).toBe(false);
    // Ids are positions in the log, increasing.
    const [first, second] = feed.messages.map((m) => Number(position(m.id!)));
    expect(second).toBeGreaterThan(first);
  });

  it('resumes after Last-Event-ID with exactly the events missed while away (1,000, beyond the in-memory tail), in log order, then live ones', async () => {
    const feed = await open('/api/v1/stream?category=reminder');
    await define();
    await eventually(
      () => feed.messages.length,
      (n) => n === 1,
      { what: 'the first message' },
    );
    const lastId = feed.lastId!;
    feed.close();
    await eventually(() => feed.ended, Boolean, { what: 'the first connection to end' });

    for (let i = 0; i < 100; i++) await Promise.all(Array.from({ length: 10 }, () => define()));
    const missed = reminderEventsAfter(position(lastId));
    expect(missed).toHaveLength(1_000);

    const resumed = await open('/api/v1/stream?category=reminder', { 'last-event-id': lastId });
    await eventually(
      () => resumed.messages.length,
      (n) => n >= 1_000,
      { what: 'the missed events', timeoutMs: 20_000 },
    );
    const live = await define();
    await cancel(live);
    const expected = reminderEventsAfter(position(lastId));
    expect(expected).toHaveLength(1_002);
    await eventually(
      () => resumed.messages.length,
      (n) => n >= 1_002,
      { what: 'the live events after the missed ones' },
    );
    expect(resumed.data<FeedData>().map((d) => `${d.stream} ${d.type}`)).toEqual(expected);
    expect(new Set(resumed.messages.map((m) => m.id)).size).toBe(1_002);

    // Resuming from within the tail (`?after=`, the last 50 missed) gives exactly those after it too.
    const from = resumed.messages[951].id!;
    const near = await open(`/api/v1/stream?category=reminder&after=${from}`);
    await eventually(
      () => near.messages.length,
      (n) => n >= 50,
      { what: 'the events after ?after=' },
    );
    expect(near.data<FeedData>().map((d) => `${d.stream} ${d.type}`)).toEqual(expected.slice(952));
  });

  it('filters by id, type and category; each client gets its own matching events in order and nothing else', async () => {
    const a = await define();
    const b = await define();
    const byId = await open(`/api/v1/stream?id=${a}`);
    const byType = await open('/api/v1/stream?type=ReminderCancelled,TaskCancelled');
    const tasksOnly = await open('/api/v1/stream?category=task');
    await cancel(b);
    const task = await call(`${herald.url}/api/v1/tasks`, { method: 'POST', json: { type: 'feed.test' } });
    expect(task.status).toBe(202);
    expect((await call(`${herald.url}/api/v1/tasks/${task.body.id}/cancel`, { method: 'POST', json: {} })).status).toBe(202);
    await cancel(a);

    // Each waits for its last matching event: the feed delivers in log order, so everything before it was looked at.
    await eventually(() => byId.data<FeedData>().some((d) => d.type === 'ReminderCancelled'), Boolean, { what: "a's cancellation by id" });
    expect(byId.data<FeedData>().map((d) => [d.id, d.type])).toEqual([[a, 'ReminderCancelled']]);
    await eventually(
      () => byType.messages.length,
      (n) => n >= 3,
      { what: 'three cancellations' },
    );
    expect(byType.data<FeedData>().map((d) => [d.id, d.type])).toEqual([
      [b, 'ReminderCancelled'],
      [task.body.id, 'TaskCancelled'],
      [a, 'ReminderCancelled'],
    ]);
    await eventually(
      () => tasksOnly.messages.length,
      (n) => n >= 2,
      { what: 'the task events' },
    );
    expect(tasksOnly.data<FeedData>().map((d) => [d.category, d.id, d.type])).toEqual([
      ['task', task.body.id, 'TaskEnqueued'],
      ['task', task.body.id, 'TaskCancelled'],
    ]);
  });

  it('refuses an unknown category and an id it did not give out with a 400 that says what to fix', async () => {
    const category = await open('/api/v1/stream?category=reminders');
    expect(category.status).toBe(400);
    expect(category.refusal).toMatchObject({ code: 'InvalidFeedQuery', message: expect.stringMatching(/category must be .*reminder.*"reminders"/) });
    const after = await open('/api/v1/stream?after=not-a-position');
    expect([after.status, (after.refusal as { message: string }).message]).toEqual([400, 'after is not an id this feed gave out']);
    const header = await open('/api/v1/stream', { 'last-event-id': '###' });
    expect([header.status, (header.refusal as { message: string }).message]).toEqual([400, 'Last-Event-ID is not an id this feed gave out']);
    const unknownParameter = await open('/api/v1/stream?since=1');
    expect(unknownParameter.status).toBe(400);
    const ahead = await open(`/api/v1/stream?after=${Buffer.from('99999999').toString('base64url')}`);
    expect([ahead.status, (ahead.refusal as { message: string }).message]).toEqual([400, 'after is ahead of this log: it is from another one']);
  });

  it('sends a comment line on an idle feed every FEED_KEEPALIVE_MS', async () => {
    const feed = await open('/api/v1/stream?category=schedule');
    await eventually(
      () => feed.comments.filter((c) => c === 'keep-alive').length,
      (n) => n >= 2,
      { what: 'two keep-alive comments' },
    );
  });

  it('serves a client that stops reading for a while every event once, in order, when it reads again (it waits for drain, nothing is dropped)', async () => {
    const from = await lastPosition();
    const slow = await rawFeed(`${herald.url}/api/v1/stream?category=reminder`);
    slow.response.pause(); // stops reading: the socket buffers fill and the server's writes wait for drain
    const big = 'x'.repeat(20_000);
    for (let i = 0; i < 30; i++) await Promise.all(Array.from({ length: 10 }, () => define({ payload: { big } })));
    const expected = reminderEventsAfter(from);
    expect(expected).toHaveLength(300);
    slow.response.resume();
    await eventually(
      () => slow.messages.length,
      (n) => n >= 300,
      { what: 'the slow client to catch up', timeoutMs: 20_000 },
    );
    expect(slow.messages.map((m) => `${m.stream} ${m.type}`)).toEqual(expected);
    slow.close();
  });

  it('lets go of a client that leaves while it is still reading the log (catch-up) or waiting for drain', async () => {
    const hub = herald.app.get(FeedHub);
    const from = await lastPosition();
    for (let i = 0; i < 50; i++) await Promise.all(Array.from({ length: 10 }, () => define({ payload: { big: 'y'.repeat(5_000) } })));
    const before = hub.clientCount;
    const leaving = await Promise.all(
      Array.from({ length: 5 }, () =>
        rawFeed(`${herald.url}/api/v1/stream?category=reminder`, { 'last-event-id': Buffer.from(from).toString('base64url') }),
      ),
    );
    for (const client of leaving) client.response.pause();
    await eventually(
      () => hub.clientCount,
      (n) => n === before + 5,
      { what: 'the clients to be attached' },
    );
    for (const client of leaving) client.close();
    await eventually(
      () => hub.clientCount,
      (n) => n === before,
      { what: 'the clients to be let go' },
    );
  });
});

/**
 * Stops Herald, waits for the client to see its connection end, defines
 * reminders through another process on the same log while the client cannot
 * connect (only Last-Event-ID can bring them), then starts Herald again on
 * the client's port.
 */
async function restartDefiningWhileAway(
  herald: RunningHerald,
  { dataDir, port, errors }: { dataDir: string; port: string; errors: unknown[] },
  whileAway: (define: () => Promise<string>) => Promise<void>,
): Promise<RunningHerald> {
  await herald.close();
  await eventually(
    () => errors.length,
    (n) => n >= 1,
    { what: 'the client to see the connection end' },
  );
  const elsewhere = await startHerald({ PORT: String(await freePort()) }, dataDir);
  await whileAway(async () => (await call(`${elsewhere.url}/api/v1/reminders`, { method: 'POST', json: REMINDER })).body.id as string);
  await elsewhere.close();
  return startHerald({ PORT: port }, dataDir);
}

describe('the live feed with a client of the eventsource package (what browsers and most Node users use)', () => {
  it('receives named events unchanged, and resumes across a restart of Herald with Last-Event-ID: none missed, none twice', async () => {
    const dataDir = tempDataDir();
    const port = String(await freePort());
    let herald = await startHerald({ PORT: port }, dataDir);
    const received: { type: string; id: string; lastEventId: string }[] = [];
    const errors: unknown[] = [];
    const source = new EventSource(`${herald.url}/api/v1/stream?category=reminder`);
    const collect = (event: MessageEvent) => {
      const data = JSON.parse(event.data) as FeedData;
      received.push({ type: event.type, id: data.id, lastEventId: event.lastEventId });
    };
    source.addEventListener('ReminderDefined', collect);
    source.addEventListener('ReminderCancelled', collect);
    source.addEventListener('error', (e) => errors.push(e));
    const define = async () => (await call(`${herald.url}/api/v1/reminders`, { method: 'POST', json: REMINDER })).body.id as string;
    try {
      await eventually(
        () => source.readyState,
        (s) => s === EventSource.OPEN,
        { what: 'the EventSource to open' },
      );
      const first = await define();
      await eventually(
        () => received.length,
        (n) => n === 1,
        { what: 'the first event' },
      );

      let second = '';
      let third = '';
      herald = await restartDefiningWhileAway(herald, { dataDir, port, errors }, async (defineThere) => {
        second = await defineThere();
        third = await defineThere();
      });
      await eventually(
        () => received.length,
        (n) => n >= 3,
        { what: 'the events appended while away', timeoutMs: 20_000 },
      );
      await call(`${herald.url}/api/v1/reminders/${first}`, { method: 'DELETE' });
      await eventually(
        () => received.length,
        (n) => n >= 4,
        { what: 'the events after the restart', timeoutMs: 20_000 },
      );
      expect(received.map((r) => [r.type, r.id])).toEqual([
        ['ReminderDefined', first],
        ['ReminderDefined', second],
        ['ReminderDefined', third],
        ['ReminderCancelled', first],
      ]);
      expect(new Set(received.map((r) => r.lastEventId)).size).toBe(4);
    } finally {
      source.close();
      await herald.close();
      removeDataDir(dataDir);
    }
  });
});

describe('the live feed resumes from where it started, even before its first message', () => {
  it('gives an EventSource its start as an id without data, so a drop before any event resumes there, not at a later live end', async () => {
    const dataDir = tempDataDir();
    const port = String(await freePort());
    let herald = await startHerald({ PORT: port }, dataDir);
    await call(`${herald.url}/api/v1/reminders`, { method: 'POST', json: REMINDER }); // a log that is not empty
    const received: string[] = [];
    const errors: unknown[] = [];
    const source = new EventSource(`${herald.url}/api/v1/stream?category=reminder`);
    source.addEventListener('ReminderDefined', (event: MessageEvent) => received.push((JSON.parse(event.data as string) as FeedData).id));
    source.addEventListener('error', (e) => errors.push(e));
    try {
      await eventually(
        () => source.readyState,
        (s) => s === EventSource.OPEN,
        { what: 'the EventSource to open' },
      );
      let missed = '';
      herald = await restartDefiningWhileAway(herald, { dataDir, port, errors }, async (defineThere) => {
        missed = await defineThere();
      });
      await eventually(
        () => received.length,
        (n) => n >= 1,
        { what: 'the event appended while away', timeoutMs: 20_000 },
      );
      expect(received).toEqual([missed]);
    } finally {
      source.close();
      await herald.close();
      removeDataDir(dataDir);
    }
  });
});

describe('the live feed and API keys', () => {
  const KEYS = {
    ops: { id: 'ops', key: 'ops-0123456789abcdef0123', scopes: ['admin'] },
    shop: { id: 'shop', key: 'shop-0123456789abcdef012', scopes: ['read', 'write'], owner: 'shop' },
    worker: { id: 'worker', key: 'worker-0123456789abcdef0', scopes: ['work'] },
  };
  let herald: RunningHerald;
  const readers: SseReader[] = [];
  const auth = (who: keyof typeof KEYS) => ({ authorization: `Bearer ${KEYS[who].key}` });
  const open = async (path: string, headers: Record<string, string> = {}) => {
    const reader = await SseReader.open(`${herald.url}${path}`, headers);
    readers.push(reader);
    return reader;
  };
  const define = async (who: keyof typeof KEYS, body: Record<string, unknown> = {}) => {
    const r = await call(`${herald.url}/api/v1/reminders`, { method: 'POST', json: { ...REMINDER, ...body }, headers: auth(who) });
    expect(r.status).toBe(201);
    return r.body.id as string;
  };
  const cancel = async (who: keyof typeof KEYS, id: string) =>
    expect((await call(`${herald.url}/api/v1/reminders/${id}`, { method: 'DELETE', headers: auth(who) })).status).toBe(204);

  beforeAll(async () => {
    herald = await startHerald({ HERALD_API_KEYS: JSON.stringify(Object.values(KEYS)) });
  });

  afterAll(async () => {
    readers.forEach((r) => r.close());
    await herald.close();
    removeDataDir(herald.dataDir);
  });

  it("gives a key limited to an owner that owner's events only, also of resources made before the feed started", async () => {
    // Made before any feed ran: the feed never saw their definitions and must look their owners up.
    const shopsEarlier = await define('shop');
    const othersEarlier = await define('ops', { owner: 'other' });
    const shopFeed = await open('/api/v1/stream', auth('shop'));
    const opsFeed = await open('/api/v1/stream?category=reminder', auth('ops'));
    const othersFeed = await open('/api/v1/stream?owner=other', auth('ops'));
    await cancel('ops', othersEarlier);
    const others = await define('ops', { owner: 'other' });
    const shops = await define('shop');
    await cancel('shop', shopsEarlier);

    await eventually(
      () => opsFeed.messages.length,
      (n) => n >= 4,
      { what: 'every event on the unrestricted feed' },
    );
    await eventually(
      () => shopFeed.messages.length,
      (n) => n >= 2,
      { what: "the shop's events" },
    );
    expect(shopFeed.data<FeedData>().map((d) => [d.id, d.type])).toEqual([
      [shops, 'ReminderDefined'],
      [shopsEarlier, 'ReminderCancelled'],
    ]);
    await eventually(
      () => othersFeed.messages.length,
      (n) => n >= 2,
      { what: "the other owner's events" },
    );
    expect(othersFeed.data<FeedData>().map((d) => [d.id, d.type])).toEqual([
      [othersEarlier, 'ReminderCancelled'],
      [others, 'ReminderDefined'],
    ]);
  });

  it('answers 401 without a key, 403 for another owner or without the read scope', async () => {
    const none = await open('/api/v1/stream');
    expect(none.status).toBe(401);
    const foreign = await open('/api/v1/stream?owner=other', auth('shop'));
    expect([foreign.status, (foreign.refusal as { code: string }).code]).toEqual([403, 'OwnerMismatch']);
    const worker = await open('/api/v1/stream', auth('worker'));
    expect([worker.status, (worker.refusal as { code: string }).code]).toEqual([403, 'MissingScope']);
  });
});

describe('the live feed past FEED_MAX_CLIENTS', () => {
  it('tells an EventSource to come back later with a 200 that only says retry (it would give up on a 503), and others 503 with Retry-After', async () => {
    const herald = await startHerald({ FEED_MAX_CLIENTS: '1' });
    const first = await SseReader.open(`${herald.url}/api/v1/stream`);
    try {
      expect(first.status).toBe(200);
      const asEventSource = await fetch(`${herald.url}/api/v1/stream`, { headers: { accept: 'text/event-stream' } });
      expect([asEventSource.status, asEventSource.headers.get('content-type')]).toEqual([200, 'text/event-stream; charset=utf-8']);
      expect(await asEventSource.text()).toBe('retry: 5000\n: this process serves 1 feeds already (FEED_MAX_CLIENTS); retry later\n\n');
      const other = await call(`${herald.url}/api/v1/stream`);
      expect([other.status, other.headers.get('retry-after'), other.body.code]).toEqual([503, '5', 'FeedFull']);
    } finally {
      first.close();
      await herald.close();
      removeDataDir(herald.dataDir);
    }
  });
});
