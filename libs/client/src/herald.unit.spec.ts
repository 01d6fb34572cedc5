import {
  FeedMessage,
  Herald,
  HeraldBadRequestError,
  HeraldConflictError,
  HeraldError,
  HeraldForbiddenError,
  HeraldNotFoundError,
  HeraldRateLimitedError,
  HeraldServerError,
  HeraldUnauthorizedError,
  HeraldUnprocessableError,
} from '@herald/client';

/** A stand-in for Herald over `fetch`: each request is recorded and answered by the next handler. */
class FakeHerald {
  readonly requests: Request[] = [];
  private readonly handlers: ((request: Request) => Response | Promise<Response>)[] = [];
  private readonly waiters: { n: number; resolve: () => void }[] = [];

  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    this.requests.push(request);
    for (const waiter of this.waiters.filter((w) => w.n <= this.requests.length)) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    const handler = this.handlers.shift();
    if (!handler) throw new Error(`unexpected request ${request.method} ${request.url}`);
    return handler(request);
  };

  answer(...handlers: ((request: Request) => Response | Promise<Response>)[]): this {
    this.handlers.push(...handlers);
    return this;
  }

  /** Resolves once `n` requests in all have been made. */
  requested(n: number): Promise<void> {
    if (this.requests.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }

  herald(apiKey?: string): Herald {
    return new Herald({ url: 'http://herald.test/prefix/', apiKey, fetch: this.fetch });
  }
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

/** An SSE response whose body the test writes, ends or breaks. */
class SseBody {
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  cancelled = false;
  readonly stream = new ReadableStream<Uint8Array>({
    start: (controller) => {
      this.controller = controller;
    },
    cancel: () => {
      this.cancelled = true;
    },
  });

  response(headers: Record<string, string> = {}): Response {
    return new Response(this.stream, { status: 200, headers: { 'content-type': 'text/event-stream', ...headers } });
  }

  write(text: string): void {
    this.controller.enqueue(new TextEncoder().encode(text));
  }

  end(): void {
    this.controller.close();
  }

  drop(): void {
    this.controller.error(new TypeError('terminated'));
  }
}

let position = 0;
/** One feed message as Herald writes it (`id:` a token, `event:` the type, `data:` the record). */
const sse = (type: string, resourceId = 'r1', revision = 0, category = 'task') => {
  const id = `t${++position}`;
  const record = {
    category,
    id: resourceId,
    stream: `${category}-${resourceId}`,
    type,
    revision,
    data: { n: position },
    recordedAt: '2026-11-24T10:00:00.000Z',
  };
  return { id, text: `id: ${id}\nevent: ${type}\ndata: ${JSON.stringify(record)}\n\n` };
};

/** A 200 of the feed whose body ends at once (no message), with the feed's starting position as its header if given. */
const emptyFeed = (position?: string) =>
  new Response(new ReadableStream({ start: (controller) => controller.close() }), {
    status: 200,
    headers: { 'content-type': 'text/event-stream', ...(position !== undefined ? { 'herald-feed-position': position } : {}) },
  });

/** Lets pending I/O and promise chains run: turns of the event loop, not wall-clock time. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** Fake timers (the event loop's own turns left real, for the bodies) and no jitter: backoff delays exact. */
function fakeClock(): void {
  jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
  jest.spyOn(Math, 'random').mockReturnValue(0.5);
}

/** Moves the fake clock on by `ms`, letting what becomes due run. */
async function advance(ms: number): Promise<void> {
  await settle();
  await jest.advanceTimersByTimeAsync(ms);
  await settle();
}

/** Takes `n` messages from an iterator (without closing it). */
async function take(iterator: AsyncIterator<FeedMessage>, n: number): Promise<FeedMessage[]> {
  const out: FeedMessage[] = [];
  while (out.length < n) {
    const next = await iterator.next();
    if (next.done) break;
    out.push(next.value);
  }
  return out;
}

describe('Herald client: calls and errors', () => {
  it('sends the API key, the Idempotency-Key, JSON bodies and comma lists, under the URL given (path prefix kept)', async () => {
    const fake = new FakeHerald().answer(
      () => json(202, { id: 'task-1', status: 'Queued' }),
      () => json(200, { items: [], nextCursor: null }),
      () => json(202, { id: 'task-1', status: 'Paused' }),
      () => new Response(null, { status: 204 }),
    );
    const herald = fake.herald('k3y');
    expect(await herald.tasks.enqueue({ type: 'report.export', params: { month: '2026-10' } }, { idempotencyKey: 'idem-1' })).toEqual({
      id: 'task-1',
      status: 'Queued',
    });
    expect(await herald.tasks.list({ status: ['Queued', 'Running'], owner: 'alice' })).toEqual({ items: [], nextCursor: null });
    await herald.tasks.pause('task-1');
    await expect(herald.reminders.cancel('rem-1')).resolves.toBeUndefined();

    const [enqueue, list, pause, cancel] = fake.requests;
    expect([enqueue.method, enqueue.url]).toEqual(['POST', 'http://herald.test/prefix/api/v1/tasks']);
    expect(enqueue.headers.get('authorization')).toBe('Bearer k3y');
    expect(enqueue.headers.get('idempotency-key')).toBe('idem-1');
    expect(enqueue.headers.get('content-type')).toBe('application/json');
    expect(await enqueue.json()).toEqual({ type: 'report.export', params: { month: '2026-10' } });
    expect(new URL(list.url).searchParams.get('status')).toBe('Queued,Running');
    expect(new URL(list.url).searchParams.get('owner')).toBe('alice');
    expect([pause.method, pause.url, pause.headers.get('content-type')]).toEqual([
      'POST',
      'http://herald.test/prefix/api/v1/tasks/task-1/pause',
      null,
    ]);
    expect([cancel.method, cancel.url]).toEqual(['DELETE', 'http://herald.test/prefix/api/v1/reminders/rem-1']);
    expect(cancel.headers.get('idempotency-key')).toBeNull();
    // Without a key, no Authorization header at all.
    const anonymous = new FakeHerald().answer(() => json(200, { items: [], nextCursor: null }));
    await anonymous.herald().reminders.list();
    expect(anonymous.requests[0].headers.get('authorization')).toBeNull();
  });

  it.each([
    [400, HeraldBadRequestError],
    [401, HeraldUnauthorizedError],
    [403, HeraldForbiddenError],
    [404, HeraldNotFoundError],
    [409, HeraldConflictError],
    [422, HeraldUnprocessableError],
    [429, HeraldRateLimitedError],
    [500, HeraldServerError],
    [503, HeraldServerError],
    [413, HeraldError],
  ])('throws a %i as %p with the API’s code, message and body', async (status, Class) => {
    const body = { statusCode: status, error: 'Some Error', code: `Code${status}`, message: `message of ${status}` };
    const fake = new FakeHerald().answer(() => json(status, body, { 'retry-after': '7' }));
    const error = (await fake
      .herald()
      .reminders.get('r1')
      .catch((e: unknown) => e)) as HeraldError;
    expect(error).toBeInstanceOf(Class);
    expect(error).toBeInstanceOf(HeraldError);
    expect(error).toBeInstanceOf(Error);
    expect([error.status, error.code, error.message, error.body, error.name]).toEqual([
      status,
      `Code${status}`,
      `message of ${status}`,
      body,
      Class.name,
    ]);
    if (error instanceof HeraldRateLimitedError) expect(error.retryAfterSeconds).toBe(7);
  });

  it('joins a validation message list, and names the status of an answer that is not the error body', async () => {
    const fake = new FakeHerald().answer(
      () =>
        json(400, { statusCode: 400, error: 'Bad Request', code: 'ValidationFailed', message: ['type must be a string', 'priority must be 0-9'] }),
      () => new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway', headers: { 'content-type': 'text/html' } }),
      () => new Response(null, { status: 503, statusText: 'Service Unavailable', headers: { 'retry-after': '3' } }),
    );
    const herald = fake.herald();
    const invalid = (await herald.tasks.enqueue({ type: 'x' }).catch((e: unknown) => e)) as HeraldBadRequestError;
    expect([invalid.code, invalid.message]).toEqual(['ValidationFailed', 'type must be a string; priority must be 0-9']);
    const proxy = (await herald.tasks.get('t').catch((e: unknown) => e)) as HeraldServerError;
    expect([proxy.constructor, proxy.status, proxy.code, proxy.message, proxy.body]).toEqual([
      HeraldServerError,
      502,
      'Http502',
      'HTTP 502: <html>bad gateway</html>',
      '<html>bad gateway</html>',
    ]);
    const unavailable = (await herald.tasks.get('t').catch((e: unknown) => e)) as HeraldServerError;
    expect([unavailable.message, unavailable.retryAfterSeconds]).toEqual(['HTTP 503 Service Unavailable', 3]);
  });

  it('lets a network failure through as the error fetch threw', async () => {
    const failure = new TypeError('fetch failed');
    const fake = new FakeHerald().answer(() => Promise.reject(failure));
    await expect(fake.herald().notifications.list()).rejects.toBe(failure);
  });
});

describe('Herald client: stream()', () => {
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('yields feed messages (split anywhere across chunks), keeping the token as id and the resource id as resourceId', async () => {
    const body = new SseBody();
    const fake = new FakeHerald().answer(() => body.response());
    const feed = fake
      .herald('k')
      .stream({ category: ['task', 'reminder'], type: 'TaskCompleted', id: 'r1', owner: 'o', channel: ['a', 'b'] })
      [Symbol.asyncIterator]();
    const first = sse('TaskEnqueued');
    const second = sse('TaskCompleted', 'r1', 1);
    const pending = take(feed, 2);
    await fake.requested(1);
    body.write(': herald feed\n\n');
    const text = first.text + second.text;
    for (let i = 0; i < text.length; i += 7) body.write(text.slice(i, i + 7));
    const messages = await pending;
    expect(messages).toEqual([
      {
        id: first.id,
        category: 'task',
        resourceId: 'r1',
        stream: 'task-r1',
        type: 'TaskEnqueued',
        revision: 0,
        data: expect.any(Object),
        recordedAt: '2026-11-24T10:00:00.000Z',
      },
      expect.objectContaining({ id: second.id, type: 'TaskCompleted', revision: 1 }),
    ]);
    const request = fake.requests[0];
    expect(request.headers.get('accept')).toBe('text/event-stream');
    expect(request.headers.get('authorization')).toBe('Bearer k');
    expect(request.headers.get('last-event-id')).toBeNull();
    expect(Object.fromEntries(new URL(request.url).searchParams)).toEqual({
      category: 'task,reminder',
      type: 'TaskCompleted',
      id: 'r1',
      owner: 'o',
      channel: 'a,b',
    });
    await feed.return!();
    expect(body.cancelled).toBe(true);
    expect(request.signal.aborted).toBe(true);
  });

  it('reconnects after a dropped connection with Last-Event-ID of the last message yielded, after the server’s retry:', async () => {
    const [one, two, three] = [new SseBody(), new SseBody(), new SseBody()];
    const fake = new FakeHerald().answer(
      () => one.response(),
      () => two.response(),
      () => three.response(),
    );
    const feed = fake.herald().stream({ after: 'start-token' })[Symbol.asyncIterator]();
    const [a, b, c, d] = [sse('TaskEnqueued'), sse('TaskLeased'), sse('TaskProgressed'), sse('TaskCompleted')];
    const firstTwo = take(feed, 2);
    await fake.requested(1);
    // The server asks for 10 ms between reconnections; the second message arrives whole, a third only in part, then the line drops.
    one.write(`retry: 10\n\n${a.text}${b.text}${c.text.slice(0, 20)}`);
    expect((await firstTwo).map((m) => m.id)).toEqual([a.id, b.id]);
    const next = take(feed, 1);
    one.drop();
    await fake.requested(2);
    expect(fake.requests).toHaveLength(2);
    // Resumed after b (the last message yielded), not after the start token any more: the server resends c whole.
    expect(fake.requests[1].headers.get('last-event-id')).toBe(b.id);
    expect(new URL(fake.requests[1].url).searchParams.get('after')).toBeNull();
    expect(new URL(fake.requests[0].url).searchParams.get('after')).toBe('start-token');
    two.write(c.text);
    expect((await next).map((m) => m.id)).toEqual([c.id]);
    // A clean end of the response is a drop too.
    two.end();
    const last = take(feed, 1);
    await fake.requested(3);
    expect(fake.requests[2].headers.get('last-event-id')).toBe(c.id);
    three.write(d.text);
    expect((await last).map((m) => m.id)).toEqual([d.id]);
    await feed.return!();
  });

  it('retries a 429 or 5xx after Retry-After (never sooner than the backoff), and a network failure once it has been connected; throws another refusal', async () => {
    fakeClock();
    const [one, two] = [new SseBody(), new SseBody()];
    const refusal = { statusCode: 400, error: 'Bad Request', code: 'InvalidFeedQuery', message: 'Last-Event-ID is not an id this feed gave out' };
    const fake = new FakeHerald().answer(
      () => json(429, { statusCode: 429, error: 'Too Many Requests', code: 'RateLimited', message: 'slow down' }, { 'retry-after': '0' }),
      () => json(503, { statusCode: 503, error: 'Service Unavailable', code: 'FeedFull', message: 'full' }, { 'retry-after': '3' }),
      () => one.response(),
      () => Promise.reject(new TypeError('fetch failed: ECONNREFUSED')),
      () => two.response(),
      () => json(400, refusal),
    );
    const feed = fake.herald().stream()[Symbol.asyncIterator]();
    const [a, b] = [sse('ReminderDefined', 'x', 0, 'reminder'), sse('ReminderCancelled', 'x', 1, 'reminder')];
    const first = take(feed, 1);
    await advance(0);
    expect(fake.requests).toHaveLength(1);
    // Retry-After: 0 is no tight loop: the base backoff (1 s) still applies.
    await advance(999);
    expect(fake.requests).toHaveLength(1);
    await advance(1);
    expect(fake.requests).toHaveLength(2);
    // Retry-After: 3 (longer than the second backoff, 2 s) is honoured.
    await advance(2_999);
    expect(fake.requests).toHaveLength(2);
    await advance(1);
    expect(fake.requests).toHaveLength(3);
    one.write(`retry: 5\n\n${a.text}`);
    expect((await first)[0].id).toBe(a.id);
    const second = take(feed, 1);
    one.drop();
    // Connection one delivered a message: the backoff starts over from the server's retry: (5 ms).
    await advance(5);
    expect(fake.requests).toHaveLength(4);
    await advance(10);
    expect(fake.requests).toHaveLength(5);
    two.write(b.text);
    expect((await second)[0].id).toBe(b.id);
    expect(fake.requests.map((r) => r.headers.get('last-event-id'))).toEqual([null, null, null, a.id, a.id]);
    two.drop();
    const next = feed.next().catch((e: unknown) => e);
    await advance(5);
    const error = await next;
    expect(error).toBeInstanceOf(HeraldBadRequestError);
    expect((error as HeraldError).message).toBe(refusal.message);
  });

  it('backs off more and more from a feed that answers 200 and closes before any message; a message resets the backoff', async () => {
    fakeClock();
    const healthy = new SseBody();
    const message = sse('TaskEnqueued');
    const fake = new FakeHerald().answer(
      () => emptyFeed(),
      () => emptyFeed(),
      () => emptyFeed(),
      () => healthy.response(),
      () => emptyFeed(),
      () => new SseBody().response(),
    );
    const stop = new AbortController();
    const feed = fake.herald().stream({ signal: stop.signal })[Symbol.asyncIterator]();
    const got = take(feed, 1);
    const timeline: [number, number][] = [];
    const at = async (ms: number) => {
      await advance(ms);
      timeline.push([ms, fake.requests.length]);
    };
    await at(0); // 1st: closes at once; then 1 s
    await at(999);
    await at(1); // 2nd: closes at once; then 2 s
    await at(1_999);
    await at(1); // 3rd: closes at once; then 4 s
    await at(3_999);
    await at(1); // 4th: a message, then closed: back to 1 s
    expect(timeline).toEqual([
      [0, 1],
      [999, 1],
      [1, 2],
      [1_999, 2],
      [1, 3],
      [3_999, 3],
      [1, 4],
    ]);
    healthy.write(message.text);
    expect((await got).map((m) => m.id)).toEqual([message.id]);
    const more = take(feed, 1);
    healthy.end();
    await advance(999);
    expect(fake.requests).toHaveLength(4);
    await advance(1);
    expect(fake.requests).toHaveLength(5);
    // 5th closes at once again: 2 s.
    await advance(1_999);
    expect(fake.requests).toHaveLength(5);
    await advance(1);
    expect(fake.requests).toHaveLength(6);
    stop.abort();
    expect(await more).toEqual([]);
  });

  it('resumes from the position the feed started at (herald-feed-position) until a message was yielded, then after that message', async () => {
    const last = new SseBody();
    const [m, n] = [sse('TaskEnqueued'), sse('TaskLeased')];
    const fake = new FakeHerald().answer(
      () => emptyFeed('p0'),
      () => emptyFeed(), // no header (not expected after one, but the latest one seen stays)
      () => emptyFeed('p1'),
      () =>
        new Response(new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode(`retry: 1\n\n${m.text}`)), c.close()) }), {
          status: 200,
          headers: { 'herald-feed-position': 'p2' },
        }),
      () => last.response({ 'herald-feed-position': 'p3' }),
    );
    fakeClock();
    const feed = fake.herald().stream({ after: 'start-token' })[Symbol.asyncIterator]();
    const first = take(feed, 1);
    // Closed before any message three times (backoffs of 1, 2 and 4 s), then a message, then 1 ms (its retry:).
    for (const ms of [0, 1_000, 2_000, 4_000]) await advance(ms);
    expect((await first).map((x) => x.id)).toEqual([m.id]);
    const second = take(feed, 1);
    await advance(1);
    expect(fake.requests).toHaveLength(5);
    last.write(n.text);
    expect((await second).map((x) => x.id)).toEqual([n.id]);
    expect(fake.requests.map((r) => [r.headers.get('last-event-id'), new URL(r.url).searchParams.get('after')])).toEqual([
      [null, 'start-token'],
      ['p0', null],
      ['p0', null],
      ['p1', null],
      [m.id, null],
    ]);
    await feed.return!();
  });

  it('throws a network failure of the first connection, and a 401 at once', async () => {
    const failure = new TypeError('fetch failed');
    const down = new FakeHerald().answer(() => Promise.reject(failure));
    await expect(down.herald().stream()[Symbol.asyncIterator]().next()).rejects.toBe(failure);
    const unauthorized = new FakeHerald().answer(() =>
      json(401, { statusCode: 401, error: 'Unauthorized', code: 'Unauthorized', message: 'no key' }),
    );
    await expect(unauthorized.herald().stream()[Symbol.asyncIterator]().next()).rejects.toBeInstanceOf(HeraldUnauthorizedError);
  });

  it('ends without an error when its signal aborts, closing the connection, also while waiting to reconnect', async () => {
    const body = new SseBody();
    const fake = new FakeHerald().answer(() => body.response());
    const abort = new AbortController();
    const feed = fake.herald().stream({ signal: abort.signal })[Symbol.asyncIterator]();
    body.write(sse('TaskEnqueued').text);
    expect((await take(feed, 1)).map((m) => m.type)).toEqual(['TaskEnqueued']);
    const rest = take(feed, 1);
    abort.abort();
    expect(await rest).toEqual([]);
    expect(fake.requests[0].signal.aborted).toBe(true);
    expect(body.cancelled).toBe(true);

    // Aborted during the backoff after a drop (1 s by default, the clock stopped): ends at once, no second request.
    fakeClock();
    const dropped = new SseBody();
    const again = new FakeHerald().answer(() => dropped.response());
    const stop = new AbortController();
    const iteration = (async () => {
      for await (const _ of again.herald().stream({ signal: stop.signal })) void _;
    })();
    await again.requested(1);
    dropped.drop();
    await advance(500);
    stop.abort();
    await iteration;
    expect(again.requests).toHaveLength(1);
    // Already aborted: no request at all.
    const none = new FakeHerald();
    for await (const _ of none.herald().stream({ signal: AbortSignal.abort() })) void _;
    expect(none.requests).toHaveLength(0);
  });

  it('ends without yielding when aborted while connecting or during onOpen (tasks.watch reading the history)', async () => {
    // Aborted while the connection was being answered.
    const body = new SseBody();
    let answer!: (response: Response) => void;
    const fake = new FakeHerald().answer(() => new Promise<Response>((resolve) => (answer = resolve)));
    const abort = new AbortController();
    const feed = fake.herald().stream({ signal: abort.signal })[Symbol.asyncIterator]();
    const next = feed.next();
    await fake.requested(1);
    abort.abort();
    body.write(sse('TaskEnqueued').text);
    answer(body.response());
    expect(await next).toEqual({ done: true, value: undefined });
    await settle();
    expect(body.cancelled).toBe(true);

    // Aborted while tasks.watch() reads the history on connecting: its events are not yielded, nothing hangs.
    const history = (...types: string[]) =>
      types.map((type, revision) => ({ revision, version: 1, type, data: { revision }, recordedAt: '2026-11-24T10:00:00.000Z' }));
    const watched = new SseBody();
    let reading!: (response: Response) => void;
    const server = new FakeHerald().answer(
      () => json(200, history('TaskEnqueued')),
      () => watched.response(),
      () => new Promise<Response>((resolve) => (reading = resolve)),
    );
    const stop = new AbortController();
    const messages: FeedMessage[] = [];
    const watching = (async () => {
      for await (const message of server.herald().tasks.watch('t1', { signal: stop.signal })) messages.push(message);
    })();
    await server.requested(3);
    stop.abort();
    reading(json(200, history('TaskEnqueued', 'TaskLeased')));
    await watching;
    expect(messages).toEqual([]);
    expect(watched.cancelled).toBe(true);
  });
});

describe('Herald client: tasks.watch()', () => {
  const history = (...types: string[]) =>
    types.map((type, revision) => ({ revision, version: 1, type, data: { revision }, recordedAt: '2026-11-24T10:00:00.000Z' }));

  it('yields the events recorded after the call once each (those before the feed connected from the history) and ends after the terminal one', async () => {
    const body = new SseBody();
    const fake = new FakeHerald().answer(
      // At the call: enqueued. When the feed has connected: leased too (missed by the feed, which starts at its live end).
      () => json(200, history('TaskEnqueued')),
      (request) => {
        expect(new URL(request.url).searchParams.get('id')).toBe('t1');
        expect(new URL(request.url).searchParams.get('category')).toBe('task');
        return body.response();
      },
      () => json(200, history('TaskEnqueued', 'TaskLeased', 'TaskHeartbeatRecorded')),
    );
    const types: [string, number, string][] = [];
    const watching = (async () => {
      for await (const message of fake.herald().tasks.watch('t1')) types.push([message.type, message.revision, message.id]);
    })();
    // Once the feed connected and the history was read again.
    await fake.requested(3);
    // The feed also sends the heartbeat (recorded after it connected): not yielded twice.
    const [heartbeat, progressed, completed, later] = [
      sse('TaskHeartbeatRecorded', 't1', 2),
      sse('TaskProgressed', 't1', 3),
      sse('TaskCompleted', 't1', 4),
      sse('TaskRetriggered', 't1', 5),
    ];
    body.write(heartbeat.text + progressed.text + completed.text + later.text);
    await watching;
    expect(types).toEqual([
      ['TaskLeased', 1, ''],
      ['TaskHeartbeatRecorded', 2, ''],
      ['TaskProgressed', 3, progressed.id],
      ['TaskCompleted', 4, completed.id],
    ]);
    expect(body.cancelled).toBe(true);
  });

  it('reconnects after the feed drops mid-way with Last-Event-ID of the last event yielded: the rest once each, in order, to the terminal one', async () => {
    const [one, two, three] = [new SseBody(), new SseBody(), new SseBody()];
    const fake = new FakeHerald().answer(
      () => json(200, history('TaskEnqueued')),
      () => one.response({ 'herald-feed-position': 'p0' }),
      () => json(200, history('TaskEnqueued')), // nothing recorded between the call and the connection
      () => two.response({ 'herald-feed-position': 'p1' }),
      () => three.response({ 'herald-feed-position': 'p2' }),
    );
    const watch = fake.herald().tasks.watch('t1')[Symbol.asyncIterator]();
    const firstTwo = take(watch, 2);
    await fake.requested(3);
    const [leased, progressed, heartbeat, progressedAgain, completed] = [
      sse('TaskLeased', 't1', 1),
      sse('TaskProgressed', 't1', 2),
      sse('TaskHeartbeatRecorded', 't1', 3),
      sse('TaskProgressed', 't1', 4),
      sse('TaskCompleted', 't1', 5),
    ];
    // Two events whole and the start of a third, asking for 1 ms between reconnections; then the line drops.
    one.write(`retry: 1\n\n${leased.text}${progressed.text}${heartbeat.text.slice(0, 30)}`);
    const messages = await firstTwo;
    const nextTwo = take(watch, 2);
    one.drop();
    await fake.requested(4);
    // The server resends what followed the last event yielded; then it closes the response cleanly (a drop too).
    two.write(heartbeat.text + progressedAgain.text);
    messages.push(...(await nextTwo));
    const rest = take(watch, 2); // asks for more than come: the iterator ends after the terminal event
    two.end();
    await fake.requested(5);
    three.write(completed.text);
    messages.push(...(await rest));
    expect(await watch.next()).toEqual({ done: true, value: undefined });

    expect(messages.map((m) => [m.type, m.revision, m.id])).toEqual([
      ['TaskLeased', 1, leased.id],
      ['TaskProgressed', 2, progressed.id],
      ['TaskHeartbeatRecorded', 3, heartbeat.id],
      ['TaskProgressed', 4, progressedAgain.id],
      ['TaskCompleted', 5, completed.id],
    ]);
    const feeds = fake.requests.filter((r) => new URL(r.url).pathname.endsWith('/api/v1/stream'));
    expect(feeds.map((r) => r.headers.get('last-event-id'))).toEqual([null, progressed.id, progressedAgain.id]);
    expect(feeds.every((r) => new URL(r.url).searchParams.get('id') === 't1')).toBe(true);
    // A resumed connection misses nothing: the history is not read again.
    expect(fake.requests).toHaveLength(5);
    expect(three.cancelled).toBe(true);
  });

  it('reads the history again after a drop before any event when the log was empty at the start (no position to resume from)', async () => {
    const [one, two] = [new SseBody(), new SseBody()];
    const fake = new FakeHerald().answer(
      () => json(200, history('TaskEnqueued')),
      () => one.response(), // no herald-feed-position header: nothing to resume from
      () => json(200, history('TaskEnqueued')),
      () => two.response({ 'herald-feed-position': 'p5' }),
      // Recorded while no connection was open: only the history has them.
      () => json(200, history('TaskEnqueued', 'TaskLeased', 'TaskProgressed')),
    );
    const messages: FeedMessage[] = [];
    const watching = (async () => {
      for await (const message of fake.herald().tasks.watch('t1')) messages.push(message);
    })();
    await fake.requested(3);
    one.write('retry: 1\n\n');
    await settle(); // the retry: line read before the drop, so the reconnection waits 1 ms, not the default 1 s
    one.drop();
    await fake.requested(5);
    // The feed, connected before the history was read, also sends the progress: not yielded twice.
    const [progressed, cancelled] = [sse('TaskProgressed', 't1', 2), sse('TaskCancelled', 't1', 3)];
    two.write(progressed.text + cancelled.text);
    await watching;

    expect(messages.map((m) => [m.type, m.revision, m.id])).toEqual([
      ['TaskLeased', 1, ''],
      ['TaskProgressed', 2, ''],
      ['TaskCancelled', 3, cancelled.id],
    ]);
    expect(fake.requests[3].headers.get('last-event-id')).toBeNull();
  });

  it('yields the terminal event of a task that had already finished, and ends without opening the feed', async () => {
    const fake = new FakeHerald().answer(() => json(200, history('TaskEnqueued', 'TaskLeased', 'TaskFailed')));
    const messages: FeedMessage[] = [];
    for await (const message of fake.herald().tasks.watch('t2')) messages.push(message);
    expect(messages).toEqual([
      {
        id: '',
        category: 'task',
        resourceId: 't2',
        stream: 'task-t2',
        type: 'TaskFailed',
        revision: 2,
        data: { revision: 2 },
        recordedAt: '2026-11-24T10:00:00.000Z',
      },
    ]);
    expect(fake.requests).toHaveLength(1);
  });

  it('throws HeraldNotFoundError for an unknown task', async () => {
    const fake = new FakeHerald().answer(() =>
      json(404, { statusCode: 404, error: 'Not Found', code: 'TaskNotFound', message: 'task t3 does not exist' }),
    );
    await expect(fake.herald().tasks.watch('t3')[Symbol.asyncIterator]().next()).rejects.toBeInstanceOf(HeraldNotFoundError);
  });
});
