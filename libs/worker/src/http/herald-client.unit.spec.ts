import { HeraldHttpError, isTransient, LeaseLostError } from '../errors';
import { FetchFn, HeraldClient } from './herald-client';

interface Sent {
  url: string;
  method?: string;
  body: unknown;
}

/** A fetch that answers from a script and records what was sent: no sockets. */
function scriptedFetch(status: number, body: unknown): { fetch: FetchFn; sent: Sent[] } {
  const sent: Sent[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    sent.push({ url, method: init.method, body: JSON.parse(init.body as string) });
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    return new Response(text, { status, headers: { 'content-type': 'application/json' } });
  }) as unknown as FetchFn;
  return { fetch, sent };
}

describe('HeraldClient', () => {
  it('posts lease requests to the leases endpoint and returns the leases', async () => {
    const lease = {
      token: 'tok',
      taskId: 't-1',
      type: 'x',
      params: {},
      checkpoint: null,
      attempt: 1,
      heartbeatTimeoutMs: 30_000,
      expiresAt: 'later',
    };
    const { fetch, sent } = scriptedFetch(200, { leases: [lease] });
    const client = new HeraldClient({ url: 'http://herald:3000/', fetch });
    await expect(client.lease({ workerId: 'w', types: ['x'], max: 2, waitMs: 0 })).resolves.toEqual([lease]);
    expect(sent).toEqual([
      { url: 'http://herald:3000/api/v1/workers/leases', method: 'POST', body: { workerId: 'w', types: ['x'], max: 2, waitMs: 0 } },
    ]);
  });

  it('puts the token in the path, encoded', async () => {
    const { fetch, sent } = scriptedFetch(200, {});
    await new HeraldClient({ url: 'http://h', fetch }).release('a/b c', { checkpoint: 1 });
    expect(sent[0]).toEqual({ url: 'http://h/api/v1/workers/leases/a%2Fb%20c/release', method: 'POST', body: { checkpoint: 1 } });
  });

  it('turns 409 LeaseLost into a LeaseLostError', async () => {
    const { fetch } = scriptedFetch(409, { statusCode: 409, code: 'LeaseLost', message: 'gone' });
    const error = await new HeraldClient({ url: 'http://h', fetch }).heartbeat('tok', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LeaseLostError);
    expect(error).toMatchObject({ status: 409, code: 'LeaseLost', message: 'gone' });
    expect(isTransient(error)).toBe(false);
  });

  it('turns other answers into a HeraldHttpError, transient for 5xx only', async () => {
    const conflict = scriptedFetch(409, { statusCode: 409, error: 'Conflict', code: 'Other', message: 'no' });
    const conflictError = await new HeraldClient({ url: 'http://h', fetch: conflict.fetch }).complete('tok', {}).catch((e: unknown) => e);
    expect(conflictError).not.toBeInstanceOf(LeaseLostError);
    expect(conflictError).toMatchObject({ status: 409, code: 'Other', message: 'no' });

    const proxy = scriptedFetch(502, '<html>bad gateway</html>');
    const proxyError = await new HeraldClient({ url: 'http://h', fetch: proxy.fetch }).fail('tok', { error: 'x' }).catch((e: unknown) => e);
    expect(proxyError).toBeInstanceOf(HeraldHttpError);
    expect(proxyError).toMatchObject({ status: 502, message: '<html>bad gateway</html>' });
    expect(isTransient(proxyError)).toBe(true);
  });
});
