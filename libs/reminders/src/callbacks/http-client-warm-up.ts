import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { Client } from 'undici';

/**
 * One POST over undici to a throwaway loopback server of this process, so
 * that the first real callback does not pay for what undici does once per
 * process: compiling its HTTP parser (llhttp, WebAssembly) when it opens its
 * first connection, and running its request path cold. Measured here: the
 * first request took 15 ms, the next ones 1–2 ms; in `npm run bench:lateness`
 * the first callbacks of a freshly started service arrived 18–77 ms late
 * without it and 10–12 ms with it. Its own Client: the callback agent's
 * connector applies the address policy, which may refuse loopback.
 */
export async function warmUpHttpClient(): Promise<void> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end());
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const client = new Client(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  try {
    const response = await client.request({ path: '/', method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    await response.body.dump();
  } finally {
    await client.close();
    await new Promise((resolve) => server.close(resolve));
  }
}
