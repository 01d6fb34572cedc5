import type { FastifyInstance } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { finished } from 'node:stream';

/**
 * Lets a client that is still uploading read the answer it gets.
 *
 * Fastify answers some requests before their body has arrived: 413 as soon as
 * Content-Length (or the bytes so far) pass bodyLimit, 415 for a content type
 * it has no parser for, and any hook that replies early (401, 429). For the
 * 413 it adds `Connection: close`, and Node then destroys the socket right
 * after writing the response; the client's next write of body bytes meets a
 * closed socket, the kernel answers with a reset, and fetch, Python and Go
 * clients report EPIPE/ECONNRESET in place of the response they were sent.
 *
 * So such a reply waits (in onSend) until the rest of the body has been read
 * and thrown away, and only then goes out: the client has finished sending, so
 * it reads the answer whether the connection then closes (Fastify's choice for
 * 413: FIN with nothing unread, no reset) or stays open for its next request.
 * A body longer than `maxBytes` is not waited for: answered at once with
 * `Connection: close`, which may reach the client as a reset. That bounds
 * what a refused request costs the server; the bytes are discarded as they
 * come, so memory stays flat either way.
 *
 * Why hold the answer rather than send it and keep reading: Node destroys a
 * `Connection: close` socket as soon as the response is written, and nothing
 * short of patching the socket delays that; holding it keeps every close
 * decision (Fastify's, a client's `Connection: close`, shutdown) as it is.
 * The price is that the client finishes its upload first, which Python's and
 * Go's clients do anyway before reading an answer.
 */
export function drainRefusedBodies(fastify: FastifyInstance, maxBytes: number): void {
  // A callback hook, not an async one: the usual case costs no promise.
  fastify.addHook('onSend', (request, reply, payload, done) => {
    const raw = request.raw;
    if (raw.complete) return done(null, payload); // the usual case: the body was read (or there was none)
    const whole = declaredWithin(raw, maxBytes) ? discardRest(raw, maxBytes) : Promise.resolve(false);
    void whole.then((read) => {
      // Past the bound, what is left unread must not be read forever on a kept-alive connection either.
      if (!read) void reply.header('connection', 'close');
      done(null, payload);
    });
  });
}

/** False when Content-Length already says the body is longer than we will read; chunked bodies are counted as they come. */
export function declaredWithin(raw: IncomingMessage, maxBytes: number): boolean {
  const declared = Number(raw.headers['content-length']);
  return !(declared > maxBytes);
}

/**
 * Reads and drops what is left of a request body. Resolves true at its end;
 * false once more than `maxBytes` came, or when the client went away first.
 */
export function discardRest(raw: IncomingMessage, maxBytes: number): Promise<boolean> {
  return new Promise((resolve) => {
    let seen = 0;
    let settled = false;
    const settle = (whole: boolean) => {
      if (settled) return;
      settled = true;
      raw.off('data', count);
      stopWatching();
      resolve(whole);
    };
    const count = (chunk: Buffer | string) => {
      seen += Buffer.byteLength(chunk); // a text parser may have set an encoding
      if (seen > maxBytes) settle(false);
    };
    // finished() also answers for a stream that already ended or was destroyed, so nothing waits forever.
    const stopWatching = finished(raw, (error) => settle(!error));
    raw.on('data', count);
    raw.resume();
  });
}
