import { randomUUID } from 'node:crypto';
import { Herald, HeraldBadRequestError, HeraldError, HeraldForbiddenError, HeraldNotFoundError } from '@herald/client';
import { EVENT_STORE, EventStore } from '@herald/event-store';
import { eventually } from '@herald/testing';
import { RunningHerald, call, removeDataDir, startHerald } from '../support/herald';
import { SseReader } from '../support/sse';

interface Notification {
  id: string;
  channel: string;
  message: string;
  data: unknown;
  owner: string | null;
  createdAt: string;
}

/** The error a call through the SDK was refused with (fails if it succeeded). */
const refusal = (promise: Promise<unknown>): Promise<HeraldError> =>
  promise.then(
    (value) => Promise.reject(new Error(`expected a refusal, got ${JSON.stringify(value)}`)),
    (error: unknown) => (error instanceof HeraldError ? error : Promise.reject(error)),
  );

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PATH = '/api/v1/notifications';
/** A channel no other test publishes on: each test lists only what it made. */
const freshChannel = () => `e2e:${randomUUID()}`;
/** Newest first: createdAt, then id, both descending (the list's order). */
const newestFirst = (a: Notification, b: Notification) =>
  a.createdAt !== b.createdAt ? (a.createdAt < b.createdAt ? 1 : -1) : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;

describe('notifications (all-in-one over SQLite)', () => {
  let herald: RunningHerald;
  /** The TypeScript client SDK, where a test reads lists and refusals rather than the wire. */
  let sdk: Herald;
  const publish = (json: unknown, headers: Record<string, string> = {}) => call(`${herald.url}${PATH}`, { method: 'POST', json, headers });
  const get = (path: string) => call(`${herald.url}${path}`);
  /** The list once it holds exactly `count` items (the read side may lag the write by milliseconds). */
  const listed = (query: string, count: number) =>
    eventually(
      () => get(`${PATH}${query}`),
      (r) => r.status === 200 && r.body.items.length === count,
      { timeoutMs: 5_000, what: `${count} notifications listed for ${query}` },
    );
  const publishAll = async (channel: string, n: number): Promise<Notification[]> => {
    const made: Notification[] = [];
    for (let i = 0; i < n; i++) {
      const r = await publish({ channel, message: `message ${i}` });
      expect(r.status).toBe(201);
      made.push(r.body as Notification);
    }
    return made;
  };

  beforeAll(async () => {
    herald = await startHerald({ PAYLOAD_MAX_BYTES: '1024' });
    sdk = new Herald({ url: herald.url });
  });

  afterAll(async () => {
    await herald.close();
    removeDataDir(herald.dataDir);
  });

  it('publishes: 201 with Location and the view, on "general" by default, filed under the request trace; GET reads it back', async () => {
    const traceId = randomUUID().replace(/-/g, '');
    const before = Date.now();
    const r = await publish({ message: 'deploy finished', data: { build: 42 } }, { traceparent: `00-${traceId}-00f067aa0ba902b7-01` });
    expect(r.status).toBe(201);
    const body = r.body as Notification;
    expect(body).toEqual({
      id: expect.stringMatching(UUID),
      channel: 'general',
      message: 'deploy finished',
      data: { build: 42 },
      owner: null,
      createdAt: expect.any(String),
    });
    expect(r.headers.get('location')).toBe(`${PATH}/${body.id}`);
    expect(r.headers.get('idempotent-replayed')).toBeNull();
    expect(new Date(body.createdAt).toISOString()).toBe(body.createdAt);
    expect(Date.parse(body.createdAt)).toBeGreaterThanOrEqual(before - 1);
    expect(Date.parse(body.createdAt)).toBeLessThanOrEqual(Date.now());

    const events = await herald.app.get<EventStore>(EVENT_STORE).readStream(`notification-${body.id}`);
    expect(events.map((e) => [e.type, e.version, e.data])).toEqual([
      [
        'NotificationPublished',
        1,
        { notificationId: body.id, channel: 'general', message: 'deploy finished', data: { build: 42 }, owner: null, publishedAt: body.createdAt },
      ],
    ]);
    // The request's span is a child of the caller's: the same trace.
    expect(String(events[0].metadata.traceparent)).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-0[01]$`));

    const read = await eventually(
      () => get(r.headers.get('location')!),
      (g) => g.status === 200,
      { timeoutMs: 5_000, what: 'the notification view' },
    );
    expect(read.body).toEqual(body);

    // A named channel, no data: stored as null.
    const channel = freshChannel();
    const named = await publish({ channel, message: 'x' });
    expect([named.status, named.body.channel, named.body.data]).toEqual([201, channel, null]);
  });

  it('answers 404 for an unknown id, in the not-found shape of the other resources, and 400 for a malformed one', async () => {
    const unknown = randomUUID();
    const r = await get(`${PATH}/${unknown}`);
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ statusCode: 404, error: 'Not Found', code: 'NotificationNotFound', message: `notification ${unknown} does not exist` });
    expect((await get(`${PATH}/not-a-uuid`)).status).toBe(400);
  });

  it('refuses bad input with a 400 naming the field and its rule, and writes nothing (log and list unchanged)', async () => {
    // A marker seen in the list: the read side has caught up with everything before it.
    const marker = freshChannel();
    expect((await publish({ channel: marker, message: 'before' })).status).toBe(201);
    await listed(`?channel=${encodeURIComponent(marker)}`, 1);
    const listBefore = (await get(`${PATH}?limit=500`)).body.items as Notification[];
    const eventsBefore = herald.eventCount();

    const cases: [unknown, RegExp][] = [
      [{}, /^message must be a string of 1-2000 characters$/],
      [{ message: '' }, /^message must be a string of 1-2000 characters$/],
      [{ message: 'm'.repeat(2_001) }, /^message must be a string of 1-2000 characters$/],
      [{ message: 42 }, /^message must be a string of 1-2000 characters$/],
      [{ message: 'x', channel: '' }, /^channel must be 1-200 visible characters without spaces or commas/],
      [{ message: 'x', channel: 'c'.repeat(201) }, /^channel must be 1-200 visible characters/],
      [{ message: 'x', channel: 'team billing' }, /^channel must be 1-200 visible characters/],
      [{ message: 'x', channel: 'a,b' }, /^channel must be 1-200 visible characters/],
      [{ message: 'x', channel: 7 }, /^channel must be 1-200 visible characters/],
      [{ message: 'x', owner: '' }, /^owner must be null or a string of 1-200 characters$/],
      [{ message: 'x', data: { blob: 'b'.repeat(1_100) } }, /^data must serialise to at most 1024 bytes of JSON \(it is \d+\)$/],
      [{ message: 'x', colour: 'red' }, /colour should not exist/],
    ];
    for (const [json, rule] of cases) {
      const r = await publish(json);
      expect([JSON.stringify(json).slice(0, 60), r.status, r.body.code]).toEqual([JSON.stringify(json).slice(0, 60), 400, 'ValidationFailed']);
      expect(r.body.message).toEqual(expect.arrayContaining([expect.stringMatching(rule)]));
    }
    for (const raw of ['[1,2]', '"just text"', 'null']) {
      const r = await call(`${herald.url}${PATH}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw });
      expect([raw, r.status, r.body.message]).toEqual([raw, 400, ['request body must be a JSON object']]);
    }
    // Plain text is read as a string (not an object); a media type Herald does not read is a 415.
    const text = await call(`${herald.url}${PATH}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect([text.status, text.body.message]).toEqual([400, ['request body must be a JSON object']]);
    const xml = await call(`${herald.url}${PATH}`, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<message>x</message>' });
    expect(xml.status).toBe(415);

    expect(herald.eventCount()).toBe(eventsBefore);
    // And after a second marker is listed, the list holds the first list and that marker, nothing else.
    const after = await publish({ channel: marker, message: 'after' });
    await listed(`?channel=${encodeURIComponent(marker)}`, 2);
    const listAfter = (await get(`${PATH}?limit=500`)).body.items as Notification[];
    expect(listAfter.map((n) => n.id)).toEqual([after.body.id, ...listBefore.map((n) => n.id)]);
  });

  it('lists newest first, filters by channel (one or a comma list) and pages with the cursor', async () => {
    const [a, b] = [freshChannel(), freshChannel()];
    const onA = await publishAll(a, 5);
    const onB = await publishAll(b, 2);
    const all = await listed(`?channel=${encodeURIComponent(a)}&limit=500`, 5);
    await listed(`?channel=${encodeURIComponent(b)}`, 2); // the read side is eventual: b's too, before lists that hold them
    expect(all.body.nextCursor).toBeNull();
    expect(all.body.items).toEqual([...onA].sort(newestFirst));

    // Through the SDK: `channel` as a list is sent as the comma list `a,b`; a refusal would throw.
    expect((await sdk.notifications.list({ channel: [a, b] })).items).toEqual([...onA, ...onB].sort(newestFirst));
    expect((await sdk.notifications.list({ channel: [b] })).items).toEqual([...onB].sort(newestFirst));

    const pages: Notification[][] = [];
    let cursor: string | undefined;
    do {
      const page = await sdk.notifications.list({ channel: [a], limit: 2, cursor });
      pages.push(page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined && pages.length < 10);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).toEqual(all.body.items);
  });

  it('lists 50 by default and at most 500, refusing a bad limit, channel or cursor with a 400 naming it', async () => {
    const c = freshChannel();
    await publishAll(c, 51);
    await listed(`?channel=${encodeURIComponent(c)}&limit=500`, 51);
    const first = await sdk.notifications.list({ channel: [c] });
    expect([first.items.length, typeof first.nextCursor]).toEqual([50, 'string']);
    const rest = await sdk.notifications.list({ channel: [c], cursor: first.nextCursor! });
    expect([rest.items.length, rest.nextCursor]).toEqual([1, null]);

    for (const [query, field] of [
      [{ limit: 0 }, /limit/],
      [{ limit: 501 }, /limit/],
      [{ channel: ['team billing'] }, /^channel must be a comma-separated list of channels; channel must be 1-200 visible characters/],
      [{ channel: [''] }, /^channel must be a comma-separated list/],
    ] as const) {
      const r = await refusal(sdk.notifications.list({ ...query, channel: 'channel' in query ? [...query.channel] : undefined }));
      expect([query, r.constructor, r.status, r.code]).toEqual([query, HeraldBadRequestError, 400, 'ValidationFailed']);
      expect((r.body as { message: string[] }).message).toEqual(expect.arrayContaining([expect.stringMatching(field)]));
    }
    const cursor = await refusal(sdk.notifications.list({ cursor: 'not-a-cursor' }));
    expect([cursor.constructor, cursor.status, cursor.code]).toEqual([HeraldBadRequestError, 400, 'InvalidCursor']);
  });

  it('answers a repeat with the same Idempotency-Key and body with the same notification and Idempotent-Replayed: true, creating nothing', async () => {
    const key = randomUUID();
    const channel = freshChannel();
    const body = { channel, message: 'once only', data: { n: 1 } };
    const first = await publish(body, { 'idempotency-key': key });
    expect([first.status, first.headers.get('idempotent-replayed')]).toEqual([201, null]);
    const before = herald.eventCount();
    // Fields in another order are the same request.
    const again = await publish(Object.fromEntries(Object.entries(body).reverse()), { 'idempotency-key': key });
    expect([again.status, again.headers.get('location'), again.headers.get('idempotent-replayed')]).toEqual([
      201,
      first.headers.get('location'),
      'true',
    ]);
    expect(again.body).toEqual(first.body);
    expect(herald.eventCount()).toBe(before);

    const other = await publish({ ...body, message: 'something else' }, { 'idempotency-key': key });
    expect([other.status, other.body.code]).toEqual([422, 'IdempotencyKeyReused']);
    expect(herald.eventCount()).toBe(before);
    // Another kind of resource under the same key is another resource.
    const task = await call(`${herald.url}/api/v1/tasks`, {
      method: 'POST',
      json: { type: 'notifications.same-key' },
      headers: { 'idempotency-key': key },
    });
    expect(task.status).toBe(202);
    expect(task.body.id).not.toBe(first.body.id);
    // Without a key, the same body is a new notification each time.
    const [x, y] = [await publish(body), await publish(body)];
    expect(new Set([first.body.id, x.body.id, y.body.id]).size).toBe(3);
    await listed(`?channel=${encodeURIComponent(channel)}`, 3);
  });

  it('is on the live feed as category notification, with its channel and owner; the channel filter picks it', async () => {
    const [mine, other] = [freshChannel(), freshChannel()];
    const feed = await SseReader.open(`${herald.url}/api/v1/stream?category=notification&channel=${encodeURIComponent(mine)}`);
    try {
      expect(feed.status).toBe(200);
      await publish({ channel: other, message: 'not for this feed' });
      const wanted = await publish({ channel: mine, message: 'for this feed', owner: 'team-a' });
      await eventually(
        () => feed.messages.length,
        (n) => n >= 1,
        { what: 'a feed message' },
      );
      const [message] = feed.data();
      expect(feed.messages.map((m) => m.event)).toEqual(['NotificationPublished']);
      expect(message).toMatchObject({
        category: 'notification',
        id: wanted.body.id,
        stream: `notification-${wanted.body.id}`,
        type: 'NotificationPublished',
        data: { channel: mine, message: 'for this feed', owner: 'team-a' },
      });
    } finally {
      feed.close();
    }
  });
});

describe('notifications with owner-limited API keys', () => {
  const KEYS = {
    ops: { id: 'ops', key: 'ops-0123456789abcdef0123', scopes: ['admin'] },
    shop: { id: 'shop', key: 'shop-0123456789abcdef012', scopes: ['read', 'write'], owner: 'shop' },
    other: { id: 'other', key: 'other-0123456789abcdef01', scopes: ['read', 'write'], owner: 'other' },
    reader: { id: 'reader', key: 'reader-0123456789abcdef0', scopes: ['read'] },
  };
  type Who = keyof typeof KEYS;
  let herald: RunningHerald;
  const as = (who: Who, path: string, init: Parameters<typeof call>[1] = {}) =>
    call(`${herald.url}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${KEYS[who].key}` } });
  const publish = (who: Who, json: Record<string, unknown>, headers: Record<string, string> = {}) => as(who, PATH, { method: 'POST', json, headers });
  /** The SDK with that key. */
  const sdk = (who: Who) => new Herald({ url: herald.url, apiKey: KEYS[who].key });
  const visible = (who: Who, id: string) =>
    eventually(
      () => as(who, `${PATH}/${id}`),
      (r) => r.status === 200,
      { timeoutMs: 5_000, what: `notification ${id} visible to ${who}` },
    );

  beforeAll(async () => {
    herald = await startHerald({ HERALD_API_KEYS: JSON.stringify(Object.values(KEYS)) });
  });

  afterAll(async () => {
    await herald.close();
    removeDataDir(herald.dataDir);
  });

  it("gives a notification its key's owner, accepts the same owner in the body, refuses another (403) and writes nothing", async () => {
    const made = await publish('shop', { message: 'hello' });
    expect([made.status, made.body.owner]).toEqual([201, 'shop']);
    expect((await visible('ops', made.body.id)).body.owner).toBe('shop');
    const same = await publish('shop', { message: 'hello', owner: 'shop' });
    expect([same.status, same.body.owner]).toEqual([201, 'shop']);
    const before = herald.eventCount();
    const foreign = await publish('shop', { message: 'hello', owner: 'other' });
    expect([foreign.status, foreign.body.code]).toEqual([403, 'OwnerMismatch']);
    const reader = await publish('reader', { message: 'hello' });
    expect([reader.status, reader.body.code]).toEqual([403, 'MissingScope']);
    expect(herald.eventCount()).toBe(before);
  });

  it("answers 404 for another owner's notification exactly as for an unknown id; its owner and admin read it", async () => {
    const theirs = await sdk('other').notifications.publish({ message: 'private' });
    await visible('other', theirs.id);
    const foreign = await refusal(sdk('shop').notifications.get(theirs.id));
    const unknownId = randomUUID();
    const unknown = await refusal(sdk('shop').notifications.get(unknownId));
    expect([foreign.constructor, foreign.status, foreign.code, foreign.message.replace(theirs.id, '<id>')]).toEqual([
      HeraldNotFoundError,
      404,
      'NotificationNotFound',
      unknown.message.replace(unknownId, '<id>'),
    ]);
    expect(foreign.body).toEqual({ ...(unknown.body as object), message: foreign.message });
    expect((await sdk('ops').notifications.get(theirs.id)).owner).toBe('other');
  });

  it("lists only the caller's own, refuses ?owner= another (403), and shows admin every owner's", async () => {
    const channel = [freshChannel()];
    const shops = await sdk('shop').notifications.publish({ channel: channel[0], message: 'from shop' });
    const others = await sdk('other').notifications.publish({ channel: channel[0], message: 'from other' });
    const unowned = await sdk('ops').notifications.publish({ channel: channel[0], message: 'from ops' });
    const all = await eventually(
      () => sdk('ops').notifications.list({ channel }),
      (page) => page.items.length === 3,
      { timeoutMs: 5_000, what: 'three listed' },
    );
    expect(new Set(all.items.map((n) => n.owner))).toEqual(new Set(['shop', 'other', null]));
    expect((await sdk('shop').notifications.list({ channel })).items.map((n) => n.id)).toEqual([shops.id]);
    expect((await sdk('other').notifications.list({ channel })).items.map((n) => n.id)).toEqual([others.id]);
    expect((await sdk('shop').notifications.list({ channel, owner: 'shop' })).items.map((n) => n.id)).toEqual([shops.id]);
    expect((await sdk('ops').notifications.list({ channel, owner: 'other' })).items.map((n) => n.id)).toEqual([others.id]);
    const foreign = await refusal(sdk('shop').notifications.list({ channel, owner: 'other' }));
    expect([foreign.constructor, foreign.status, foreign.code]).toEqual([HeraldForbiddenError, 403, 'OwnerMismatch']);
    expect(all.items.map((n) => n.id)).toContain(unowned.id);
  });

  it("keeps each owner's Idempotency-Keys apart: the same key and body make one notification per owner", async () => {
    const key = randomUUID();
    const body = { channel: freshChannel(), message: 'same key' };
    const a = await publish('shop', body, { 'idempotency-key': key });
    const b = await publish('other', body, { 'idempotency-key': key });
    expect([a.status, b.status, b.headers.get('idempotent-replayed')]).toEqual([201, 201, null]);
    expect(a.body.id).not.toBe(b.body.id);
    const again = await publish('shop', body, { 'idempotency-key': key });
    expect([again.body.id, again.headers.get('idempotent-replayed')]).toEqual([a.body.id, 'true']);
  });
});
