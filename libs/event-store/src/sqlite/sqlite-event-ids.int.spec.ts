import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { systemClock } from '@herald/kernel';
import { openSqlite } from '@herald/platform/sqlite/open-sqlite';
import { WrongExpectedRevisionError } from '../errors';
import { legacyEventId } from '../event-ids';
import { SqliteEventStore } from './sqlite-event-store';

const event = (n: number, id?: string) => ({ id, type: 'SomethingHappened', version: 1, data: { n } });

/** A file as written before events had ids: the old table, two events in it. */
function preIdFile(db: Database): void {
  db.exec(`CREATE TABLE events (
    position INTEGER PRIMARY KEY AUTOINCREMENT, stream TEXT NOT NULL, revision INTEGER NOT NULL,
    type TEXT NOT NULL, version INTEGER NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL,
    recorded_at INTEGER NOT NULL, UNIQUE (stream, revision))`);
  const insert = db.prepare(
    "INSERT INTO events (stream, revision, type, version, data, metadata, recorded_at) VALUES (?, ?, 'Old', 1, '{}', '{}', 0)",
  );
  insert.run('old-1', 0);
  insert.run('old-1', 1);
}

describe('SQLite event store: event ids', () => {
  let dir: string;
  let db: Database;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'herald-es-ids-'));
    db = openSqlite(join(dir, 'events.sqlite'));
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('a file written before events had ids', () => {
    beforeEach(() => preIdFile(db));

    it('gains the column and keeps working; its events read with ids derived from stream and revision', async () => {
      const store = new SqliteEventStore(db, systemClock);
      const read = await store.readStream('old-1');
      expect(read.map((e) => e.id)).toEqual([legacyEventId('old-1', 0), legacyEventId('old-1', 1)]);
      expect((await store.readStream('old-1')).map((e) => e.id)).toEqual(read.map((e) => e.id)); // stable
      const id = randomUUID();
      await store.append('old-1', [event(2, id)], 1);
      expect((await store.readStream('old-1')).map((e) => e.id)).toEqual([...read.map((e) => e.id), id]);
    });

    it('opens again, by a second store, without adding the column twice', () => {
      new SqliteEventStore(db, systemClock);
      const other = openSqlite(db.name);
      expect(() => new SqliteEventStore(other, systemClock)).not.toThrow();
      other.close();
    });

    it('recognises a re-append of the derived ids at their place', async () => {
      const store = new SqliteEventStore(db, systemClock);
      const [first, second] = await store.readStream('old-1');
      const result = await store.append('old-1', [event(0, first.id), event(1, second.id)], 'no_stream');
      expect(result).toEqual({ nextExpectedRevision: 1, position: second.position });
    });
  });

  it('settles two identical appends committed together: one writes, the other gets its result', async () => {
    const store = new SqliteEventStore(db, systemClock);
    const events = [event(1, randomUUID()), event(2, randomUUID())];
    const [a, b] = await Promise.all([store.append('s-1', events, 'no_stream'), store.append('s-1', events, 'no_stream')]);
    expect(b).toEqual(a);
    expect(await store.readStream('s-1')).toHaveLength(2);
  });

  it('scopes ids to their stream, as EventStoreDB does: the same id in another stream is another event', async () => {
    const store = new SqliteEventStore(db, systemClock);
    const id = randomUUID();
    await store.append('s-1', [event(1, id)], 'no_stream');
    await store.append('s-2', [event(1, id)], 'any');
    expect((await store.readStream('s-2')).map((e) => e.id)).toEqual([id]);
  });

  it('given an id sitting further back, recognises an any re-append whole, and refuses one that continues differently', async () => {
    const store = new SqliteEventStore(db, systemClock);
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const first = await store.append('s-1', [event(1, a), event(2, b)], 'any');
    await store.append('s-1', [event(3)], 'any');
    expect(await store.append('s-1', [event(1, a), event(2, b)], 'any')).toEqual(first);
    await expect(store.append('s-1', [event(1, a), event(4, c)], 'stream_exists')).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect(await store.readStream('s-1')).toHaveLength(3);
  });

  it('treats ids of this stream in another order under any as a conflict', async () => {
    const store = new SqliteEventStore(db, systemClock);
    const [a, b] = [randomUUID(), randomUUID()];
    await store.append('s-1', [event(1, a), event(2, b)], 'no_stream');
    await expect(store.append('s-1', [event(2, b), event(1, a)], 'any')).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect(await store.readStream('s-1')).toHaveLength(2);
  });
});
