import Database from 'better-sqlite3';
import type { ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import { SqliteEventStore } from '@herald/event-store';
import { systemClock } from '@herald/kernel';
import { HealthRegistry, loadConfig } from '@herald/platform';
import { eventually } from '@herald/testing';
import { FeedClient } from './feed-client';
import { FeedHub } from './feed-hub';
import { FeedSources } from './feed-source';

describe('FeedClient started at the log head while the hub lags behind it (over the SQLite event store)', () => {
  let db: Database.Database;
  let events: SqliteEventStore;
  let hub: FeedHub;
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
    hub = new FeedHub(events, sources, loadConfig({ FEED_BUFFER_EVENTS: '100' }), new HealthRegistry());
    await hub.ensureStarted();
  });

  afterEach(async () => {
    openGate();
    await hub.beforeApplicationShutdown();
    await events.close();
    db.close();
  });

  it('never sends an event recorded before it came, though the hub delivers that event after it came', async () => {
    gate = new Promise((resolve) => (openGate = resolve));
    const before = await append('reminder-before');
    const head = await events.headPosition();
    expect(head).toBe(before);
    expect(hub.position).not.toBe(before); // the hub has not read it: it lags

    const response = new PassThrough();
    let written = '';
    response.on('data', (chunk: Buffer) => (written += chunk.toString()));
    const client = new FeedClient(hub, response as unknown as ServerResponse, {}, head);
    const running = client.run();
    const after = await append('reminder-after');
    openGate();

    await eventually(
      () => written,
      (text) => text.includes('"stream":"reminder-after"'),
      { what: 'the event recorded after the client came' },
    );
    expect(hub.position).toBe(after);
    expect(written).not.toContain('reminder-before');
    response.destroy();
    await running;
  });
});
