import Database from 'better-sqlite3';
import { SqliteEventStore } from '@herald/event-store';
import { systemClock } from '@herald/kernel';
import { HealthRegistry, loadConfig } from '@herald/platform';
import { eventually } from '@herald/testing';
import { FeedHub } from './feed-hub';
import { FeedSource, FeedSources } from './feed-source';

const source = (category: string): FeedSource => ({
  category,
  streamPrefix: `${category}-`,
  ownerIn: (e) => (e.type === 'Created' ? ((e.data as { owner: string | null }).owner ?? null) : undefined),
});
/** Resolves when the hub's tail next grows. */
const nextBatch = (hub: FeedHub) => new Promise<void>((resolve) => hub.onNext(resolve));

describe('FeedHub (over the SQLite event store)', () => {
  let db: Database.Database;
  let events: SqliteEventStore;
  let hub: FeedHub;
  const reads: string[] = [];
  const append = async (stream: string, type = 'Changed', data: unknown = {}) =>
    (await events.append(stream, [{ type, version: 1, data }], 'any')).position;

  beforeEach(async () => {
    db = new Database(':memory:');
    events = new SqliteEventStore(db, systemClock, { pollIntervalMs: 10 });
    const readStream = events.readStream.bind(events);
    events.readStream = (stream, options) => {
      reads.push(stream);
      return readStream(stream, options);
    };
    const sources = new FeedSources();
    sources.register(source('reminder'));
    sources.register(source('task'));
    hub = new FeedHub(events, sources, loadConfig({ FEED_BUFFER_EVENTS: '100', FEED_OWNER_CACHE: '1000' }), new HealthRegistry());
  });

  afterEach(async () => {
    await hub.beforeApplicationShutdown();
    await events.close();
    db.close();
  });

  it('starts at the head: what came before is not in the tail, and the tail covers only from there', async () => {
    const before = await append('reminder-a');
    await hub.ensureStarted();
    expect(hub.position).toBe(before);
    expect(hub.covers(before)).toBe(true);
    expect(hub.covers(null)).toBe(false);
    expect(hub.after(null)).toBeNull();
    const next = nextBatch(hub);
    const later = await append('reminder-b');
    await next;
    expect(hub.after(before)!.map((e) => [e.id, e.event.position])).toEqual([['b', later]]);
    expect(hub.after(later)).toEqual([]);
  });

  it('keeps the latest FEED_BUFFER_EVENTS, leaves out other categories, and no longer covers positions before what it dropped', async () => {
    await hub.ensureStarted();
    const start = hub.position;
    const positions: string[] = [];
    for (let i = 0; i < 150; i++) {
      positions.push(await append(`task-${i}`));
      await append(`idempotency-${i}`); // not a feed category
    }
    await eventually(
      () => hub.position,
      (p) => p === positions[149],
      { what: 'the hub to read all' },
    );
    expect(hub.covers(start)).toBe(false);
    expect(hub.after(positions[48])).toBeNull();
    const tail = hub.after(positions[49])!;
    expect(tail.map((e) => e.id)).toEqual(Array.from({ length: 100 }, (_, i) => String(50 + i)));
    expect(hub.after(positions[120])!.map((e) => e.id)).toEqual(Array.from({ length: 29 }, (_, i) => String(121 + i)));
  });

  it('tells a client of quiet categories that nothing came for it, without a scan', async () => {
    await append('reminder-0'); // before the hub: positions before it are not covered
    await hub.ensureStarted();
    const start = hub.position;
    const next = nextBatch(hub);
    const task = await append('task-1');
    await next;
    expect(hub.nothingAfter(start, new Set(['reminder']))).toBe(true);
    expect(hub.nothingAfter(start, new Set(['reminder', 'task']))).toBe(false);
    expect(hub.nothingAfter(task, new Set(['task']))).toBe(true);
    expect(hub.nothingAfter(null, new Set(['reminder']))).toBe(false); // not covered: it cannot tell
  });

  it('learns owners from creation events, reads the stream once for those it has not seen created, and shares a read under way', async () => {
    await append('reminder-mine', 'Created', { owner: 'me' }); // before the hub: it never sees this one
    await hub.ensureStarted();
    await append('reminder-x', 'Created', { owner: 'someone' });
    await append('reminder-mine');
    const last = await append('reminder-orphan'); // no creation event at all
    await eventually(
      () => hub.position,
      (p) => p === last,
      { what: 'the hub to read all' },
    );
    const tail = hub.after(hub.startPosition)!;
    expect(tail.map((e) => e.id)).toEqual(['x', 'mine', 'orphan']);
    reads.length = 0;
    const owners = await Promise.all([...tail, ...tail].map((e) => hub.owners.of(e)));
    expect(owners).toEqual(['someone', 'me', null, 'someone', 'me', null]);
    expect(reads.sort()).toEqual(['reminder-mine', 'reminder-orphan']);
    await hub.owners.of(tail[1]);
    expect(reads.filter((s) => s === 'reminder-mine')).toHaveLength(1); // found owners are kept
  });
});
