import Fastify, { FastifyInstance } from 'fastify';
import { Socket, connect } from 'node:net';
import { eventually } from '@herald/testing';
import { drainRefusedBodies } from './refused-body-drain';

const MiB = 1024 * 1024;
const TEN_MB = JSON.stringify({ blob: 'x'.repeat(10 * MiB) });

interface Answered {
  status: number;
  bodyComplete: boolean;
  connection: unknown;
}

/** Bare Fastify with the hook, a route that needs a token (401 before the body is read), and a record of every answer. */
async function startServer(drainBytes: number): Promise<{ app: FastifyInstance; url: string; answered: Answered[] }> {
  const app = Fastify({ bodyLimit: 512 * 1024 });
  const answered: Answered[] = [];
  drainRefusedBodies(app, drainBytes);
  app.addHook('onRequest', async (request, reply) => {
    if (request.headers['x-refuse']) await reply.code(Number(request.headers['x-refuse'])).send({ refused: true });
  });
  app.addHook('onResponse', async (request, reply) => {
    answered.push({
      status: reply.statusCode,
      bodyComplete: request.raw.complete,
      connection: reply.getHeader('connection'),
    });
  });
  app.post('/things', async () => ({ ok: true }));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url, answered };
}

/** Raw HTTP/1.1 so a test decides exactly which body bytes are sent; resolves with everything read until the server closes. */
function rawRequest(url: string, head: string, body: Buffer[] = []): { socket: Socket; response: Promise<string> } {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  const response = new Promise<string>((resolve) => socket.once('close', () => resolve(Buffer.concat(chunks).toString())));
  socket.on('error', () => undefined); // a reset is an outcome the test inspects, not a failure
  socket.write(head);
  for (const chunk of body) socket.write(chunk);
  return { socket, response };
}

describe('drainRefusedBodies', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  beforeEach(async () => {
    server = await startServer(64 * MiB);
  });
  afterEach(async () => {
    await server.app.close();
  });

  const post = (headers: Record<string, string>, body = TEN_MB) =>
    fetch(`${server.url}/things`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

  // The connection is closed only where Fastify asks (413); a drained 401/415 leaves it reusable.
  it.each([
    ['a 413 over bodyLimit', {}, 413, 'close'],
    ['a 415 for a type without a parser', { 'content-type': 'application/xml' }, 415, undefined],
    ['a 401 from a hook that never reads the body', { 'x-refuse': '401' }, 401, undefined],
    ['a 429 from a hook that never reads the body', { 'x-refuse': '429' }, 429, undefined],
  ])('%s reaches every fetch still uploading 10 MB, sent once the body is in', async (_name, headers, status, connection) => {
    for (let i = 0; i < 20; i++) {
      const response = await post(headers);
      expect(response.status).toBe(status);
      await response.text();
    }
    expect(server.answered).toHaveLength(20);
    expect(server.answered.filter((a) => a.status === status && a.bodyComplete && a.connection === connection)).toHaveLength(20);
  });

  it('answers at once, closing, when Content-Length says the body is past the bound', async () => {
    await server.app.close();
    server = await startServer(MiB);
    // Headers only: the answer must not wait for the 5 MiB announced.
    const { response } = rawRequest(
      server.url,
      'POST /things HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5242880\r\n\r\n',
    );
    const text = await response;
    expect(text).toMatch(/^HTTP\/1\.1 413/);
    expect(text).toMatch(/\r\nconnection: close\r\n/i);
  });

  it('stops reading a chunked body once past the bound, and closes', async () => {
    await server.app.close();
    server = await startServer(MiB);
    const chunk = Buffer.alloc(3 * MiB, 'x');
    const head = 'POST /things HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n';
    // One 3 MiB chunk and never the terminating one: the body would not end on its own.
    const { socket, response } = rawRequest(server.url, head, [Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk]);
    const answered = await eventually(
      () => server.answered,
      (a) => a.length === 1,
      { timeoutMs: 10_000, what: 'the refusal' },
    );
    expect(answered[0]).toMatchObject({ status: 413, bodyComplete: false, connection: 'close' });
    await response; // the server closed the connection
    expect(socket.destroyed).toBe(true);
  });
});
