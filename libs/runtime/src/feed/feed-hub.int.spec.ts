import Database from 'better-sqlite3';
import { SqliteEventStore } from '@herald/event-store';
import { systemClock } from '@herald/kernel';
import { HealthRegistry, loadConfig } from '@herald/platform';
import { eventually } from '@herald/testing';
import { FeedHub } from './feed-hub';
import { FeedSource, FeedSources } from './feed-source';

const source = (category: string, lookups: string[] = []): FeedSource => ({
  category,
  streamPrefix: `${category}-`,
  ownerIn: (e) => (e.type === 'Created' ? ((e.data as { owner: string | null }).owner ?? null) : undefined),
  lookupOwner: async (id) => {
    lookups.push(id);
    return id.startsWith('mine') ? 'me' : null;
  },
});

describe('FeedHub (over the SQLite event store)', () => {
  let db: Database.Database;
  let events: SqliteEventStore;
  let hub: FeedHub;
  const lookups: string[] = [];
  const append = async (stream: string, type = 'Changed', data: unknown = {}) =>
    (await events.append(stream, [{ type, version: 1, data }], 'any')).position;

  beforeEach(async () => {
    db = new Database(':memory:');
    events = new SqliteEventStore(db, systemClock, { pollIntervalMs: 10 });
    const sources = new FeedSources();
    sources.register(source('reminder', lookups));
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
    const next = hub.next();
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
    const next = hub.next();
    const task = await append('task-1');
    await next;
    expect(hub.nothingAfter(start, new Set(['reminder']))).toBe(true);
    expect(hub.nothingAfter(start, new Set(['reminder', 'task']))).toBe(false);
    expect(hub.nothingAfter(task, new Set(['task']))).toBe(true);
    expect(hub.nothingAfter(null, new Set(['reminder']))).toBe(false); // not covered: it cannot tell
  });

  it('learns owners from creation events and looks up the others once, keeping only found ones', async () => {
    await hub.ensureStarted(); // on an empty log: the tail covers everything
    await append('reminder-x', 'Created', { owner: 'someone' });
    await append('reminder-mine1');
    const last = await append('reminder-other');
    await eventually(
      () => hub.position,
      (p) => p === last,
      { what: 'the hub to read all' },
    );
    const tail = hub.after(null)!;
    expect(await Promise.all(tail.map((e) => hub.owners.of(e)))).toEqual(['someone', 'me', null]);
    await Promise.all(tail.map((e) => hub.owners.of(e)));
    expect(lookups.filter((id) => id === 'x')).toHaveLength(0);
    expect(lookups.filter((id) => id === 'mine1')).toHaveLength(1);
    expect(lookups.filter((id) => id === 'other')).toHaveLength(2);
  });
});
