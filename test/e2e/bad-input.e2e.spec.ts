import { RunningHerald, call, removeDataDir, startHerald } from '../support/herald';

/** Every bad input is a 4xx whose message names the field and the rule, and nothing is written. */
describe('bad input to POST /api/v1/reminders', () => {
  let herald: RunningHerald;
  const address = 'http://127.0.0.1:9/hook';

  beforeAll(async () => {
    herald = await startHerald({ PAYLOAD_MAX_BYTES: '1024', BODY_LIMIT_BYTES: '8192' });
  });
  // Each test proves its own request wrote nothing: appends commit before the response, so a stray one shows at once.
  const expectNothingWritten = () => expect(herald.eventCount()).toBe(0);
  afterAll(async () => {
    await herald.close();
    removeDataDir(herald.dataDir);
  });

  const post = (body: string, contentType = 'application/json') =>
    call(`${herald.url}/api/v1/reminders`, { method: 'POST', body, headers: { 'content-type': contentType } });

  it.each([
    ['both delay forms', { seconds: 5, dueAt: '2030-01-01T00:00:00Z', address }, /either dueAt or hours\/minutes\/seconds, not both/],
    ['neither delay form', { address }, /give when the reminder is due/],
    ['a negative delay', { seconds: -1, address }, /seconds must not be less than 0/],
    ['a delay given as a string', { seconds: '30', address }, /seconds must be a number/],
    ['an infinite-looking delay', { hours: 1e12, address }, /hours must not be greater than 87600/],
    ['delays adding up past 10 years', { hours: 87_600, minutes: 5_000_000, address }, /within 10 years/],
    ['a dueAt that is not a date', { dueAt: 'tomorrow', address }, /dueAt must be an ISO-8601 date-time/],
    ['a dueAt without a time zone', { dueAt: '2030-01-01T09:00:00', address }, /dueAt must end with a time zone/],
    ['a dueAt days in the past', { dueAt: '2020-01-01T00:00:00Z', address }, /more than 24 hours in the past/],
    ['a missing address', { seconds: 1 }, /address must be a non-empty string/],
    ['a non-http address', { seconds: 1, address: 'ftp://example.com/x' }, /address must use http or https/],
    ['a relative address', { seconds: 1, address: '/hook' }, /address must be an absolute URL/],
    ['an oversized payload', { seconds: 1, address, payload: { blob: 'x'.repeat(2_000) } }, /payload must serialise to at most 1024 bytes/],
    ['headers that are not a map', { seconds: 1, address, headers: ['X-A: 1'] }, /headers must be an object/],
    ['a reserved header', { seconds: 1, address, headers: { 'Herald-Attempt': '9' } }, /headers.Herald-Attempt is reserved/],
    ['a non-string header value', { seconds: 1, address, headers: { 'X-Count': 3 } }, /headers.X-Count must be a string/],
    ['zero attempts', { seconds: 1, address, maxAttempts: 0 }, /maxAttempts must not be less than 1/],
    ['fractional attempts', { seconds: 1, address, maxAttempts: 2.5 }, /maxAttempts must be an integer/],
    ['a too-short timeout', { seconds: 1, address, timeoutMs: 10 }, /timeoutMs must not be less than 100/],
    ['an unknown field (a typo)', { secconds: 1, address }, /property secconds should not exist/],
  ])('rejects %s with 400 naming the field', async (_name, body, message) => {
    const response = await post(JSON.stringify(body));
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body.message)).toMatch(message);
    expectNothingWritten();
  });

  it.each([
    ['malformed JSON', '{"seconds": 1, "address": ', 400, /JSON/i],
    ['a JSON array', '[1, 2]', 400, /request body must be a JSON object/],
    ['a JSON string', '"remind me"', 400, /request body must be a JSON object/],
    ['an empty body', '', 400, /Body cannot be empty/],
  ])('rejects %s with 400', async (_name, body, status, message) => {
    const response = await post(body);
    expect(response.status).toBe(status);
    expect(JSON.stringify(response.body)).toMatch(message);
    expectNothingWritten();
  });

  it('rejects a body over BODY_LIMIT_BYTES with 413', async () => {
    const response = await post(JSON.stringify({ seconds: 1, address, payload: 'x'.repeat(10_000) }));
    expect(response.status).toBe(413);
    expectNothingWritten();
  });

  it('rejects a body of a media type it does not read with 415', async () => {
    const response = await post('<seconds>1</seconds>', 'application/xml');
    expect(response.status).toBe(415);
    expectNothingWritten();
  });

  it('rejects a plain-text body with 400', async () => {
    const response = await post('seconds=1', 'text/plain');
    expect(response.status).toBe(400);
    expectNothingWritten();
  });

  it.each([
    ['an unknown status', 'status=Sleeping', /status must be one of Active, Completed, Failed, Cancelled/],
    ['a zero limit', 'limit=0', /limit must not be less than 1/],
    ['a huge limit', 'limit=100000', /limit must not be greater than 500/],
    ['an unknown order', 'order=random', /order must be createdAt/],
    ['a forged cursor', 'cursor=abc', /cursor is not one this service issued/],
  ])('rejects a list query with %s', async (_name, query, message) => {
    const response = await call(`${herald.url}/api/v1/reminders?${query}`);
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body.message)).toMatch(message);
  });
});
