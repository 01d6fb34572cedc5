import { AddressInfo, Server, createServer } from 'node:net';
import { loadConfig } from '@herald/platform';
import { HttpCallbackSender } from './http-callback-sender';

/** A TCP listener on 127.0.0.1 counting the connections it accepts, answering any request with 204. */
async function listener(): Promise<{ server: Server; port: number; connections: () => number }> {
  let connections = 0;
  const server = createServer((socket) => {
    connections++;
    socket.once('data', () => socket.end('HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, connections: () => connections };
}

describe('HttpCallbackSender behind the callback address guard (real sockets)', () => {
  let target: Awaited<ReturnType<typeof listener>>;
  const senders: HttpCallbackSender[] = [];
  const sender = (env: Record<string, string>) => {
    const made = new HttpCallbackSender(loadConfig(env));
    senders.push(made);
    return made;
  };
  const send = (to: HttpCallbackSender, address: string) =>
    to.send({ reminderId: 'r-1', attempt: 1, dueAt: new Date().toISOString(), address, payload: null, headers: {}, timeoutMs: 2_000 });

  beforeEach(async () => {
    target = await listener();
  });
  afterEach(async () => {
    await Promise.all(senders.splice(0).map((s) => s.onApplicationShutdown()));
    await new Promise((resolve) => target.server.close(resolve));
  });

  const denyLoopback = { CALLBACK_DENY_NETWORKS: '127.0.0.0/8,::1/128' };

  it('returns a failed outcome naming the policy when a name resolves to a denied address, and never connects', async () => {
    const outcome = await send(sender(denyLoopback), `http://localhost:${target.port}/hook`);
    expect(outcome).toEqual({
      ok: false,
      statusCode: null,
      error: expect.stringMatching(/^callback address refused by CALLBACK_DENY_NETWORKS: localhost resolved to (127\.0\.0\.1|::1)$/),
      retryAfterMs: null,
    });
    expect(target.connections()).toBe(0);
  });

  it('refuses a denied literal IP without connecting', async () => {
    const outcome = await send(sender(denyLoopback), `http://127.0.0.1:${target.port}/hook`);
    expect(outcome).toMatchObject({ ok: false, error: 'callback address refused by CALLBACK_DENY_NETWORKS: 127.0.0.1' });
    expect(target.connections()).toBe(0);
  });

  it('refuses link-local literals, IPv4-mapped ones included, by default', async () => {
    const plain = await send(sender({}), 'http://169.254.169.254/latest/meta-data');
    const mapped = await send(sender({}), 'http://[::ffff:169.254.169.254]/');
    expect(plain).toMatchObject({ ok: false, error: 'callback address refused by the always-refused link-local networks: 169.254.169.254' });
    expect(mapped).toMatchObject({ ok: false, error: 'callback address refused by the always-refused link-local networks: ::ffff:a9fe:a9fe' });
  });

  it('connects to an address CALLBACK_ALLOW_NETWORKS excepts from the deny list', async () => {
    const outcome = await send(sender({ ...denyLoopback, CALLBACK_ALLOW_NETWORKS: '127.0.0.1/32' }), `http://127.0.0.1:${target.port}/hook`);
    expect(outcome).toEqual({ ok: true, statusCode: 204 });
    expect(target.connections()).toBe(1);
  });

  it('connects to loopback, by name and by address, under the default configuration', async () => {
    const defaults = sender({});
    expect(await send(defaults, `http://127.0.0.1:${target.port}/hook`)).toEqual({ ok: true, statusCode: 204 });
    expect(await send(defaults, `http://localhost:${target.port}/hook`)).toMatchObject({ ok: true, statusCode: 204 });
  });
});
