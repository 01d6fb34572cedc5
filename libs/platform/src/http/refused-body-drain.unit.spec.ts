import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { declaredWithin, discardRest } from './refused-body-drain';

/** A request body stream as the HTTP server hands it over: paused, bytes arriving as the test writes them. */
const body = () => new PassThrough() as PassThrough & IncomingMessage;
const withLength = (length?: string) => ({ headers: length === undefined ? {} : { 'content-length': length } }) as IncomingMessage;

describe('discardRest', () => {
  it('reads a body to its end and resolves true', async () => {
    const raw = body();
    const drained = discardRest(raw, 10);
    raw.write('12345');
    raw.end('67890');
    await expect(drained).resolves.toBe(true);
  });

  it('gives up (false) on the first chunk past the bound', async () => {
    const raw = body();
    const drained = discardRest(raw, 10);
    raw.write('1234567890');
    raw.write('1');
    await expect(drained).resolves.toBe(false);
    expect(raw.listenerCount('data')).toBe(0);
  });

  it('counts bytes, not characters, when a text parser set an encoding', async () => {
    const raw = body();
    raw.setEncoding('utf8');
    const drained = discardRest(raw, 5);
    raw.write('ééé'); // 3 characters, 6 bytes
    await expect(drained).resolves.toBe(false);
  });

  it('resolves false when the client goes away mid-body', async () => {
    const raw = body();
    const drained = discardRest(raw, 100);
    raw.write('123');
    raw.destroy();
    await expect(drained).resolves.toBe(false);
  });

  it('does not wait on a body that already ended or was destroyed', async () => {
    const ended = body();
    ended.end();
    ended.resume();
    await new Promise((resolve) => ended.once('end', resolve));
    await expect(discardRest(ended, 100)).resolves.toBe(true);

    const destroyed = body();
    destroyed.destroy();
    await expect(discardRest(destroyed, 100)).resolves.toBe(false);
  });
});

describe('declaredWithin', () => {
  it.each([
    ['no Content-Length (chunked: counted as it comes)', undefined, true],
    ['a Content-Length at the bound', '1024', true],
    ['a Content-Length past the bound', '1025', false],
  ])('%s', (_name, length, within) => {
    expect(declaredWithin(withLength(length), 1024)).toBe(within);
  });
});
