import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '@herald/kernel';
import { openSqlite } from '@herald/platform/sqlite/open-sqlite';
import { eventStoreContract } from '../contract/event-store.contract';
import { checkpointStoreContract } from '../checkpoints/checkpoint-store.contract';
import { SqliteCheckpointStore } from '../checkpoints/sqlite/sqlite-checkpoint-store';
import { SqliteEventStore } from './sqlite-event-store';
import { eventually } from '@herald/testing';

function tempDb() {
  const dir = mkdtempSync(join(tmpdir(), 'herald-es-'));
  const db = openSqlite(join(dir, 'events.sqlite'));
  return { db, dispose: () => (db.close(), rmSync(dir, { recursive: true, force: true })) };
}

eventStoreContract('sqlite', async () => {
  const { db, dispose } = tempDb();
  const store = new SqliteEventStore(db, systemClock, { pollIntervalMs: 20 });
  return { store, close: async () => (await store.close(), dispose()) };
});

eventStoreContract('sqlite, two connections to one file (separate processes)', async () => {
  const { db, dispose } = tempDb();
  const other = openSqlite(db.name);
  // Appends go through one connection, reads and subscriptions through the
  // other: the polling path that separate services sharing the file rely on.
  const writer = new SqliteEventStore(db, systemClock, { pollIntervalMs: 20 });
  const reader = new SqliteEventStore(other, systemClock, { pollIntervalMs: 20 });
  const store = {
    append: writer.append.bind(writer),
    readStream: reader.readStream.bind(reader),
    subscribeToAll: reader.subscribeToAll.bind(reader),
    headPosition: reader.headPosition.bind(reader),
    eventsBetween: reader.eventsBetween.bind(reader),
    comparePositions: reader.comparePositions.bind(reader),
    ping: reader.ping.bind(reader),
    close: async () => undefined,
  };
  return { store, close: async () => (await reader.close(), other.close(), dispose()) };
});

checkpointStoreContract('sqlite', async () => {
  const { db, dispose } = tempDb();
  return { store: new SqliteCheckpointStore(db), close: async () => dispose() };
});

describe('SqliteEventStore.readPage: a filtered read says how far it scanned', () => {
  it('moves past rows of other categories, so a quiet subscription does not scan them again', async () => {
    const { db, dispose } = tempDb();
    const store = new SqliteEventStore(db, systemClock);
    try {
      for (let i = 0; i < 5; i++) await store.append(`other-${i}`, [{ type: 'Noise', version: 1, data: { i } }], 'no_stream');
      const quiet = store.readPage(null, 500, ['thing-']);
      expect(quiet).toEqual({ events: [], scannedTo: await store.headPosition() });
      const { position } = await store.append('thing-1', [{ type: 'Signal', version: 1, data: {} }], 'no_stream');
      const next = store.readPage(quiet.scannedTo, 500, ['thing-']);
      expect(next.events.map((e) => e.stream)).toEqual(['thing-1']);
      expect(next.scannedTo).toBe(position);
      // A full page says no more than its last event: the rest of the log is still to be read.
      expect(store.readPage(null, 2, null).scannedTo).toBe((await store.readStream('other-1'))[0].position);
    } finally {
      await store.close();
      dispose();
    }
  });

  it('pages by any limit (written into the SQL, one statement per limit) and refuses one that is not a positive integer', async () => {
    const { db, dispose } = tempDb();
    const store = new SqliteEventStore(db, systemClock);
    try {
      await store.append(
        'thing-1',
        [1, 2, 3].map((n) => ({ type: 'Signal', version: 1, data: { n } })),
        'no_stream',
      );
      expect(store.readAfter(null, 2).map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
      expect(store.readAfter(null, 500, ['thing-']).map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
      expect(store.readAfter(null, 1, ['thing-']).map((e) => e.data)).toEqual([{ n: 1 }]);
      for (const limit of [0, -1, 1.5, Number.NaN, 2 ** 60]) expect(() => store.readAfter(null, limit)).toThrow(RangeError);
    } finally {
      await store.close();
      dispose();
    }
  });
});

describe('SqliteEventStore: commits by other processes sharing the file', () => {
  // Polls an hour apart: only the report of the other connection's commit can deliver in time.
  const HOUR = 3_600_000;
  const event = (n: number) => ({ type: 'ThingHappened', version: 1, data: { n } });

  it('wakes a caught-up subscription on a latency path (promptly) at once, not at its next poll', async () => {
    const { db, dispose } = tempDb();
    const other = openSqlite(db.name);
    const follower = new SqliteEventStore(db, systemClock, { pollIntervalMs: HOUR });
    const writer = new SqliteEventStore(other, systemClock, { pollIntervalMs: HOUR });
    const seen: number[] = [];
    try {
      // An append of its own first: it runs the follower's commits through the "mine" path before another's arrive.
      await follower.append('thing-0', [event(0)], 'no_stream');
      follower.subscribeToAll({ after: null, streamPrefix: 'thing-', promptly: true }, async (batch) => {
        for (const e of batch) seen.push((e.data as { n: number }).n);
      });
      await eventually(
        () => seen.length,
        (n) => n === 1,
        { what: "the follower's own event" },
      );
      for (let n = 1; n <= 3; n++) {
        await writer.append(`thing-${n}`, [event(n)], 'no_stream');
        await eventually(
          () => seen.length,
          (count) => count === n + 1,
          { timeoutMs: 5_000, what: `event ${n} from the other connection` },
        );
      }
      expect(seen).toEqual([0, 1, 2, 3]);
    } finally {
      await follower.close();
      await writer.close();
      other.close();
      dispose();
    }
  });
});
