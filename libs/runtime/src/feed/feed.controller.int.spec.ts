import Database from 'better-sqlite3';
import type { FastifyReply } from 'fastify';
import { PassThrough } from 'node:stream';
import { SqliteEventStore } from '@herald/event-store';
import { systemClock } from '@herald/kernel';
import { HealthRegistry, UNRESTRICTED, loadConfig } from '@herald/platform';
import { eventually } from '@herald/testing';
import { FeedController } from './feed.controller';
import { FeedHub } from './feed-hub';
import { FeedSources } from './feed-source';

/** A hijacked Fastify reply as the controller uses it: its raw response collects what is written. */
function fakeReply() {
  const raw = Object.assign(new PassThrough(), { writeHead: () => raw });
  let written = '';
  raw.on('data', (chunk: Buffer) => (written += chunk.toString()));
  const reply = { hijack: () => undefined, raw, request: { method: 'GET', headers: {} } } as unknown as FastifyReply;
  return { reply, raw, written: () => written };
}

describe('GET /api/v1/stream without an id while the hub lags behind the log (FeedController over the SQLite event store)', () => {
  let db: Database.Database;
  let events: SqliteEventStore;
  let hub: FeedHub;
  const config = loadConfig({ FEED_BUFFER_EVENTS: '100' });
  /** Holds the hub's subscription: while closed, the hub reads nothing new (what a busy process looks like). */
  let openGate: () => void = () => undefined;
  let gate: Promise<void> = Promise.resolve();
  const append = async (stream: string) => (await events.append(stream, [{ type: 'Changed', version: 1, data: {} }], 'any')).position;

  beforeEach(async () => {
    db = new Database(':memory:');
    events = new SqliteEventStore(db, systemClock, { pollIntervalMs: 10 });
    const subscribe = events.subscribeToAll.bind(events);
    events.subscribeToAll = (options, handler, onError) =>
      subscribe(
        options,
        async (batch) => {
          await gate;
          await handler(batch);
        },
        onError,
      );
    const sources = new FeedSources();
    sources.register({ category: 'reminder', streamPrefix: 'reminder-', ownerIn: () => undefined });
    hub = new FeedHub(events, sources, config, new HealthRegistry());
    await hub.ensureStarted();
  });

  afterEach(async () => {
    openGate();
    await hub.beforeApplicationShutdown();
    await events.close();
    db.close();
  });

  it('starts at the head: never sends an event recorded before the client came, though the hub reads it after', async () => {
    gate = new Promise((resolve) => (openGate = resolve));
    const before = await append('reminder-before');
    const head = await events.headPosition();
    expect(head).toBe(before);
    expect(hub.position).not.toBe(before); // the hub has not read it: it lags

    const feed = fakeReply();
    await new FeedController(hub, config).stream({}, UNRESTRICTED, feed.reply, undefined);
    const after = await append('reminder-after');
    openGate();

    await eventually(feed.written, (text) => text.includes('"stream":"reminder-after"'), { what: 'the event recorded after the client came' });
    expect(hub.position).toBe(after);
    expect(feed.written()).not.toContain('reminder-before');
    feed.raw.destroy();
  });
});
