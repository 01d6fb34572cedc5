import { eventually } from '@herald/testing';
import { call, removeDataDir, tempDataDir } from '../support/herald';
import { HeraldProcess, freePort } from '../support/herald-process';

const MiB = 1024 * 1024;
const address = 'http://127.0.0.1:9/hook';
const TEN_MB = JSON.stringify({ seconds: 1, address, payload: 'x'.repeat(10 * MiB) });

/** What a client got: the status and error body it read, or the code of the error fetch threw (EPIPE, ECONNRESET…). */
async function outcome(request: Promise<Response>): Promise<{ status: number; body: Record<string, unknown> } | string> {
  try {
    const response = await request;
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? String(error);
  }
}

/** The same refusal, read back by every client. */
const refusal = (status: number, code: string, message: RegExp) => ({
  status,
  body: expect.objectContaining({ statusCode: status, code, message: expect.stringMatching(message) }),
});
const tooLarge = refusal(413, 'BodyTooLarge', /larger than the limit of 1048576 bytes \(BODY_LIMIT_BYTES\)/);

/** An all-in-one Herald as its own OS process, started before a describe's tests and stopped after them. */
function heraldProcess(env: Record<string, string> = {}): () => HeraldProcess {
  let dataDir: string;
  let herald: HeraldProcess;
  beforeAll(async () => {
    dataDir = tempDataDir();
    herald = new HeraldProcess('all-in-one', { DATA_DIR: dataDir, PORT: String(await freePort()), LOG_LEVEL: 'warn', ...env });
    await herald.start();
  });
  afterAll(async () => {
    await herald.stop();
    removeDataDir(dataDir);
  });
  return () => herald;
}

/** A POST of a reminder's body, as a new user sends it with Node's fetch. */
const postReminder = (herald: HeraldProcess, body: RequestInit['body'], contentType = 'application/json', init: RequestInit = {}) =>
  fetch(`${herald.url}/api/v1/reminders`, { method: 'POST', body, ...init, headers: { 'content-type': contentType, ...init.headers } });

/**
 * A refusal decided while the body is still arriving reaches a client as the
 * answer, not as a broken pipe: the service, as its own process, is sent
 * bodies 10 times its limit by Node's fetch the way a new user would.
 */
describe('refusals a client can read (all-in-one as an OS process)', () => {
  const herald = heraldProcess();
  const post = (body: RequestInit['body'], contentType?: string, init?: RequestInit) => postReminder(herald(), body, contentType, init);

  it('answers 20 POSTs of a 10 MB body in a row with a 413 naming the limit, each one read', async () => {
    const seen = [];
    for (let i = 0; i < 20; i++) seen.push(await outcome(post(TEN_MB)));
    expect(seen).toEqual(Array(20).fill(tooLarge));
  });

  it('answers concurrent oversized POSTs each with its 413', async () => {
    for (let round = 0; round < 3; round++) {
      const seen = await Promise.all(Array.from({ length: 8 }, () => outcome(post(TEN_MB))));
      expect(seen).toEqual(Array(8).fill(tooLarge));
    }
  });

  it('answers an oversized body streamed without a Content-Length (chunked) with its 413', async () => {
    const streamed = () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          const chunk = new TextEncoder().encode('x'.repeat(MiB));
          for (let i = 0; i < 10; i++) controller.enqueue(chunk);
          controller.close();
        },
      });
    const seen = [];
    for (let i = 0; i < 5; i++) seen.push(await outcome(post(streamed(), 'application/json', { duplex: 'half' })));
    expect(seen).toEqual(Array(5).fill(tooLarge));
  });

  it('answers a large body of a media type it does not read with a 415, read every time', async () => {
    const unsupported = refusal(415, 'UnsupportedMediaType', /application\/json/);
    const seen = [];
    for (let i = 0; i < 20; i++) seen.push(await outcome(post(`<payload>${'x'.repeat(10 * MiB)}</payload>`, 'application/xml')));
    expect(seen).toEqual(Array(20).fill(unsupported));
  });

  // text/plain has a parser (its small bodies are a 400: not a JSON object), so a large one is refused for its size.
  it('answers a large plain-text body with the 413 of its size, read every time', async () => {
    const seen = [];
    for (let i = 0; i < 10; i++) seen.push(await outcome(post('x'.repeat(10 * MiB), 'text/plain')));
    expect(seen).toEqual(Array(10).fill(tooLarge));
  });

  it('stays healthy and takes an ordinary request afterwards', async () => {
    expect((await call(`${herald().url}/health`)).status).toBe(200);
    const created = await call(`${herald().url}/api/v1/reminders`, { method: 'POST', json: { seconds: 3600, address } });
    expect(created.status).toBe(201);
  });
});

/**
 * The refusals of a caller rather than of a body: 401 (decided when the
 * request arrives, before its body: answered once the body has been drained)
 * and 429 (decided after the body has been read, so the body limit is raised
 * here to let 10 MB through to the rate limit).
 */
describe('refusals of a caller a client can read: 401 and 429 (all-in-one as an OS process)', () => {
  const KEY = 'refusals-key-0123456789abcdef';
  // One call a second over 10 s: the 11th within 10 s is refused for the rest of those 10 s (the burst window, 1000, never refuses).
  const herald = heraldProcess({
    HERALD_API_KEYS: JSON.stringify([{ id: 'refusals', key: KEY, scopes: ['read', 'write'] }]),
    RATE_LIMIT_PER_SECOND: '1',
    RATE_LIMIT_BURST: '1000',
    BODY_LIMIT_BYTES: String(16 * MiB),
  });
  const keyed = { headers: { authorization: `Bearer ${KEY}` } };

  it('answers 20 POSTs of a 10 MB body without an API key with a 401, each one read', async () => {
    const unauthenticated = refusal(401, 'Unauthenticated', /send an API key: Authorization: Bearer <key>/);
    const seen = [];
    for (let i = 0; i < 20; i++) seen.push(await outcome(postReminder(herald(), TEN_MB)));
    expect(seen).toEqual(Array(20).fill(unauthenticated));
  });

  it('answers concurrent POSTs of a 10 MB body with an unknown API key each with its 401', async () => {
    const unknown = refusal(401, 'Unauthenticated', /the API key is not one Herald knows/);
    const wrongKey = { headers: { authorization: 'Bearer not-a-key-of-this-herald' } };
    const seen = await Promise.all(Array.from({ length: 8 }, () => outcome(postReminder(herald(), TEN_MB, 'application/json', wrongKey))));
    expect(seen).toEqual(Array(8).fill(unknown));
  });

  it('answers 20 POSTs of a 10 MB body past the key’s rate limit with a 429, each one read', async () => {
    const limited = refusal(429, 'RateLimited', /^API key refusals sent more than 10 calls within 10 s \(RATE_LIMIT_PER_SECOND=1 /);
    // Spends what is left of the key's budget with small calls, until it is refused for at least 2 s more: long enough for a POST.
    const exhausted = () =>
      eventually(
        () => call(`${herald().url}/api/v1/reminders?limit=1`, keyed),
        (a) => a.status === 429 && Number(a.headers.get('retry-after')) >= 3,
        { timeoutMs: 20_000, intervalMs: 50, what: 'the key refused for a while' },
      );
    const seen = [];
    for (let i = 0; i < 20; i++) {
      await exhausted();
      seen.push(await outcome(postReminder(herald(), TEN_MB, 'application/json', keyed)));
    }
    expect(seen).toEqual(Array(20).fill(limited));
  });
});
