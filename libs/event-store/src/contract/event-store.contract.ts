import { randomUUID } from 'node:crypto';
import { eventually } from '@herald/testing';
import { WrongExpectedRevisionError } from '../errors';
import { EventStore, EventToAppend, EventsBetweenOptions, RecordedEvent, Subscription } from '../event-store.port';

export interface EventStoreFixture {
  store: EventStore;
  close(): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const event = (n: number, extra: Partial<EventToAppend> = {}): EventToAppend => ({
  type: 'SomethingHappened',
  version: 1,
  data: { n, nested: { list: [1, 'two', null], ms: '2026-11-23T09:00:30.123Z' } },
  metadata: { correlationId: `c-${n}` },
  ...extra,
});

/**
 * Every EventStore adapter passes this suite. Stream names and prefixes are
 * unique per test, so it also runs against a shared, long-lived server.
 */
export function eventStoreContract(name: string, open: () => Promise<EventStoreFixture>) {
  describe(`EventStore contract: ${name}`, () => {
    let fixture: EventStoreFixture;
    let store: EventStore;
    const subscriptions: Subscription[] = [];
    /** Size of every batch a handler was given, checked after each test. */
    let batchSizes: number[] = [];
    const prefix = () => `test${randomUUID().replace(/-/g, '')}-`;

    beforeEach(async () => {
      fixture = await open();
      store = fixture.store;
      batchSizes = [];
    });
    afterEach(async () => {
      await Promise.all(subscriptions.splice(0).map((s) => s.stop()));
      await fixture.close();
      // Asserted here, not in the handler: a failed expect there is an error the
      // subscription retries, and the test would only see a timeout.
      expect(batchSizes.filter((n) => n === 0)).toEqual([]);
    });

    const collect = (after: string | null, streamPrefix: string | readonly string[], onBatch?: (e: RecordedEvent[]) => Promise<void>) => {
      const seen: RecordedEvent[] = [];
      const filter = typeof streamPrefix === 'string' ? { streamPrefix } : { streamPrefixes: streamPrefix };
      subscriptions.push(
        store.subscribeToAll({ after, ...filter }, async (batch) => {
          batchSizes.push(batch.length);
          await onBatch?.(batch);
          seen.push(...batch);
        }),
      );
      return seen;
    };

    describe('append and read', () => {
      it('creates a stream with no_stream and reads it back in order, data intact', async () => {
        const stream = `${prefix()}1`;
        const result = await store.append(stream, [event(1), event(2), event(3)], 'no_stream');
        expect(result.nextExpectedRevision).toBe(2);
        const read = await store.readStream(stream);
        expect(read.map((e) => [e.stream, e.revision, e.type, e.version, e.data, e.metadata])).toEqual(
          [1, 2, 3].map((n, i) => [stream, i, 'SomethingHappened', 1, event(n).data, event(n).metadata]),
        );
        expect(read.every((e) => e.recordedAt instanceof Date && !Number.isNaN(e.recordedAt.getTime()))).toBe(true);
        expect(read[2].position).toBe(result.position);
      });

      it('reads a stream that does not exist as empty', async () => {
        expect(await store.readStream(`${prefix()}missing`)).toEqual([]);
      });

      it('appends at the expected revision and continues numbering', async () => {
        const stream = `${prefix()}1`;
        await store.append(stream, [event(1)], 'no_stream');
        const next = await store.append(stream, [event(2), event(3)], 0);
        expect(next.nextExpectedRevision).toBe(2);
        expect((await store.readStream(stream)).map((e) => e.revision)).toEqual([0, 1, 2]);
      });

      it('reads a stream from a revision: the rest of it, or nothing past its end', async () => {
        const stream = `${prefix()}1`;
        await store.append(stream, [event(1), event(2), event(3), event(4)], 'no_stream');
        expect((await store.readStream(stream, { fromRevision: 2 })).map((e) => [e.revision, (e.data as { n: number }).n])).toEqual([
          [2, 3],
          [3, 4],
        ]);
        expect((await store.readStream(stream, { fromRevision: 0 })).map((e) => e.revision)).toEqual([0, 1, 2, 3]);
        expect(await store.readStream(stream, { fromRevision: 4 })).toEqual([]);
        expect(await store.readStream(`${prefix()}missing`, { fromRevision: 2 })).toEqual([]);
      });

      it('accepts stream_exists and any', async () => {
        const stream = `${prefix()}1`;
        await store.append(stream, [event(1)], 'any');
        await store.append(stream, [event(2)], 'stream_exists');
        expect(await store.readStream(stream)).toHaveLength(2);
      });
    });

    it('reports the position of the last appended event as the head', async () => {
      const stream = `${prefix()}1`;
      const { position } = await store.append(stream, [event(1), event(2)], 'no_stream');
      expect(await store.headPosition()).toBe(position);
    });

    it('orders positions as the log does', async () => {
      const p = prefix();
      const first = await store.append(`${p}a`, [event(1)], 'no_stream');
      const second = await store.append(`${p}b`, [event(2)], 'no_stream');
      expect(store.comparePositions(first.position, second.position)).toBeLessThan(0);
      expect(store.comparePositions(second.position, first.position)).toBeGreaterThan(0);
      expect(store.comparePositions(second.position, second.position)).toBe(0);
    });

    it('answers a ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    describe('eventsBetween (lag counts)', () => {
      /** Optional on the port: a fixture whose store leaves it out (a test double) has nothing to check here. */
      const count = async (after: string | null, until: string, options?: EventsBetweenOptions) =>
        store.eventsBetween ? store.eventsBetween(after, until, options) : undefined;
      const skip = () => store.eventsBetween === undefined;

      it('is 0 at the head', async () => {
        if (skip()) return;
        const p = prefix();
        await store.append(`${p}a`, [event(1), event(2)], 'no_stream');
        const head = (await store.headPosition())!;
        expect(await count(head, head)).toBe(0);
        expect(await count(head, head, { streamPrefixes: [p] })).toBe(0);
      });

      it('counts N after N appends of a category, up to `until` and not past it', async () => {
        if (skip()) return;
        const p = prefix();
        const { position: from } = await store.append(`${p}a`, [event(0)], 'no_stream');
        await store.append(`${p}a`, [event(1)], 0);
        await store.append(`${p}b`, [event(2)], 'no_stream');
        await store.append(`${p}a`, [event(3), event(4)], 1);
        const { position: until } = await store.append(`${p}c`, [event(5), event(6)], 'no_stream');
        await store.append(`${p}c`, [event(7)], 1); // after `until`: not counted
        expect(await count(from, until, { streamPrefixes: [p] })).toBe(6);
        // Without prefixes every event counts; a shared server may have others' in between.
        expect(await count(from, until)).toBeGreaterThanOrEqual(6);
        expect(await count(until, from, { streamPrefixes: [p] })).toBe(0); // `after` past `until`
      });

      it("leaves other categories' events out when given prefixes", async () => {
        if (skip()) return;
        const [mine, also, other] = [prefix(), prefix(), prefix()];
        const { position: from } = await store.append(`${mine}0`, [event(0)], 'no_stream');
        await store.append(`${other}1`, [event(1), event(2), event(3)], 'no_stream');
        await store.append(`${mine}1`, [event(4)], 'no_stream');
        await store.append(`${also}1`, [event(5), event(6)], 'no_stream');
        const { position: until } = await store.append(`${other}2`, [event(7)], 'no_stream');
        expect(await count(from, until, { streamPrefixes: [mine] })).toBe(1);
        expect(await count(from, until, { streamPrefixes: [mine, also] })).toBe(3);
        expect(await count(from, until, { streamPrefixes: [other] })).toBe(4);
        expect(await count(from, until)).toBeGreaterThanOrEqual(7);
      });

      it('counts from the start of the log when `after` is null', async () => {
        if (skip()) return;
        const p = prefix();
        await store.append(`${p}a`, [event(1), event(2)], 'no_stream');
        const { position: until } = await store.append(`${p}b`, [event(3)], 'no_stream');
        // The whole log up to here: a shared server's may be longer than the default scan limit.
        expect(await count(null, until, { streamPrefixes: [p], scanLimit: Infinity })).toBe(3);
        expect(await count(null, until, { scanLimit: Infinity })).toBeGreaterThanOrEqual(3);
      });

      it('examines at most scanLimit events after `after`: then a lower bound', async () => {
        if (skip()) return;
        const p = prefix();
        await store.append(
          `${p}a`,
          [1, 2, 3, 4, 5, 6].map((n) => event(n)),
          'no_stream',
        );
        const read = await store.readStream(`${p}a`);
        const [from, until] = [read[0].position, read[5].position];
        expect(await count(from, until, { streamPrefixes: [p] })).toBe(5);
        // One append's events lie together in the log: the first three after `from` are all ours.
        expect(await count(from, until, { streamPrefixes: [p], scanLimit: 3 })).toBe(3);
        // Without prefixes SQLite counts from the positions alone, exactly; EventStoreDB stops at the limit.
        expect(await count(from, until, { scanLimit: 3 })).toBeGreaterThanOrEqual(3);
        expect(await count(from, until, { scanLimit: 3 })).toBeLessThanOrEqual(5);
      });

      it('refuses an empty list of prefixes, or a scan limit that is not a positive integer', async () => {
        if (skip()) return;
        const { position } = await store.append(`${prefix()}a`, [event(1)], 'no_stream');
        await expect(count(null, position, { streamPrefixes: [] })).rejects.toThrow(/streamPrefixes/);
        await expect(count(null, position, { streamPrefixes: [''] })).rejects.toThrow(/streamPrefixes/);
        for (const scanLimit of [0, -1, 1.5, NaN]) await expect(count(null, position, { scanLimit })).rejects.toThrow(/scanLimit/);
      });
    });

    describe('event ids', () => {
      it('round-trip on read, in lower case; events appended without one get one', async () => {
        const stream = `${prefix()}1`;
        const id = randomUUID();
        await store.append(stream, [event(1, { id: id.toUpperCase() }), event(2)], 'no_stream');
        const [withId, without] = await store.readStream(stream);
        expect(withId.id).toBe(id);
        expect(without.id).toMatch(UUID);
        expect(without.id).not.toBe(id);
      });

      it('are delivered to subscribers', async () => {
        const p = prefix();
        const id = randomUUID();
        const seen = collect(null, p);
        await store.append(`${p}a`, [event(1, { id })], 'no_stream');
        await eventually(
          () => seen.length,
          (n) => n >= 1,
        );
        expect(seen[0].id).toBe(id);
      });

      it('refuse an id that is not a UUID, writing nothing', async () => {
        const stream = `${prefix()}1`;
        await expect(store.append(stream, [event(1, { id: 'not-a-uuid' })], 'no_stream')).rejects.toThrow(/UUID/);
        expect(await store.readStream(stream)).toEqual([]);
      });
    });

    describe('idempotent appends', () => {
      const withIds = (...ns: number[]) => ns.map((n) => event(n, { id: randomUUID() }));

      it.each([
        ['no_stream (a create)', 'no_stream' as const, false],
        ['a revision', 0, true],
      ])('returns the original result for the same ids at %s, storing them once', async (_n, expected, existing) => {
        const stream = `${prefix()}1`;
        if (existing) await store.append(stream, [event(0)], 'no_stream');
        const events = withIds(1, 2);
        const first = await store.append(stream, events, expected);
        const again = await store.append(stream, events, expected);
        expect(again).toEqual(first);
        expect((await store.readStream(stream)).map((e) => e.id)).toEqual([...(existing ? [expect.any(String)] : []), ...events.map((e) => e.id)]);
      });

      it('still recognises them after later appends to the stream', async () => {
        const stream = `${prefix()}1`;
        const events = withIds(1, 2);
        const first = await store.append(stream, events, 'no_stream');
        await store.append(stream, [event(3)], 1);
        expect(await store.append(stream, events, 'no_stream')).toEqual(first);
        expect(await store.readStream(stream)).toHaveLength(3);
      });

      it('returns the original result for the same ids appended with any', async () => {
        const stream = `${prefix()}1`;
        const events = withIds(1, 2);
        const first = await store.append(stream, events, 'any');
        expect(await store.append(stream, events, 'any')).toEqual(first);
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it.each([
        ['no_stream, the ids sitting after another event', 'no_stream' as const],
        ['a revision past them', 5],
      ])('rejects the same ids at a different expected revision (%s)', async (_n, expected) => {
        const stream = `${prefix()}1`;
        await store.append(stream, [event(0)], 'no_stream');
        const events = withIds(1);
        await store.append(stream, events, 0);
        await expect(store.append(stream, events, expected)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it.each([
        ['a prefix of them then a new one', (a: EventToAppend[], c: EventToAppend) => [a[0], c]],
        ['all of them then a new one', (a: EventToAppend[], c: EventToAppend) => [...a, c]],
      ])('rejects a partial overlap (%s) as a conflict', async (_n, overlap) => {
        const stream = `${prefix()}1`;
        const stored = withIds(1, 2);
        await store.append(stream, stored, 'no_stream');
        const [fresh] = withIds(3);
        await expect(store.append(stream, overlap(stored, fresh), 'no_stream')).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        expect((await store.readStream(stream)).map((e) => e.id)).toEqual(stored.map((e) => e.id));
      });
    });

    describe('optimistic concurrency', () => {
      it.each([
        ['no_stream on an existing stream', 'no_stream' as const, true],
        ['a stale revision', 5, true],
        ['stream_exists on a missing stream', 'stream_exists' as const, false],
        ['a revision on a missing stream', 0, false],
      ])('rejects %s with WrongExpectedRevisionError and writes nothing', async (_n, expected, create) => {
        const stream = `${prefix()}1`;
        if (create) await store.append(stream, [event(1)], 'no_stream');
        const before = await store.readStream(stream);
        await expect(store.append(stream, [event(9), event(10)], expected)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        expect(await store.readStream(stream)).toEqual(before);
      });

      it('lets exactly one of two racing appends at the same revision win', async () => {
        const stream = `${prefix()}1`;
        await store.append(stream, [event(1)], 'no_stream');
        const results = await Promise.allSettled([store.append(stream, [event(2)], 0), store.append(stream, [event(3)], 0)]);
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
        expect(rejected.reason).toBeInstanceOf(WrongExpectedRevisionError);
        expect(await store.readStream(stream)).toHaveLength(2);
      });
    });

    describe('subscribeToAll', () => {
      it('catches up from the start, then delivers live appends, in log order', async () => {
        const p = prefix();
        await store.append(`${p}a`, [event(1), event(2)], 'no_stream');
        await store.append(`${p}b`, [event(3)], 'no_stream');
        const seen = collect(null, p);
        await store.append(`${p}a`, [event(4)], 1);
        await eventually(
          () => seen.length,
          (n) => n >= 4,
          { what: '4 events' },
        );
        expect(seen.map((e) => (e.data as { n: number }).n)).toEqual([1, 2, 3, 4]);
        expect(seen.map((e) => e.stream)).toEqual([`${p}a`, `${p}a`, `${p}b`, `${p}a`]);
      });

      it('resumes strictly after a stored position', async () => {
        const p = prefix();
        await store.append(`${p}a`, [event(1)], 'no_stream');
        const { position } = await store.append(`${p}a`, [event(2)], 0);
        await store.append(`${p}a`, [event(3)], 1);
        const seen = collect(position, p);
        await eventually(
          () => seen.length,
          (n) => n >= 1,
        );
        await store.append(`${p}a`, [event(4)], 2);
        await eventually(
          () => seen.length,
          (n) => n >= 2,
        );
        expect(seen.map((e) => (e.data as { n: number }).n)).toEqual([3, 4]);
      });

      it('filters by stream prefix', async () => {
        const p = prefix();
        const other = prefix();
        const seen = collect(null, p);
        await store.append(`${other}x`, [event(1)], 'no_stream');
        await store.append(`${p}y`, [event(2)], 'no_stream');
        await eventually(
          () => seen.length,
          (n) => n >= 1,
        );
        expect(seen.map((e) => e.stream)).toEqual([`${p}y`]);
      });

      it('filters by several stream prefixes, in log order', async () => {
        const [a, b, c] = [prefix(), prefix(), prefix()];
        const seen = collect(null, [a, b]);
        await store.append(`${a}1`, [event(1)], 'no_stream');
        await store.append(`${c}1`, [event(2)], 'no_stream');
        await store.append(`${b}1`, [event(3)], 'no_stream');
        await store.append(`${a}1`, [event(4)], 0);
        await eventually(
          () => seen.length,
          (n) => n >= 3,
        );
        // A witness on the third prefix proves its event was there to deliver.
        const witness = collect(null, c);
        await eventually(
          () => witness.length,
          (n) => n >= 1,
        );
        expect(seen.map((e) => e.stream)).toEqual([`${a}1`, `${b}1`, `${a}1`]);
        expect(seen.map((e) => (e.data as { n: number }).n)).toEqual([1, 3, 4]);
      });

      it('retries a failing handler instead of skipping the event', async () => {
        const p = prefix();
        let failures = 0;
        const seen = collect(null, p, async () => {
          if (failures++ < 2) throw new Error('projection store down');
        });
        await store.append(`${p}a`, [event(1), event(2)], 'no_stream');
        await eventually(
          () => seen.length,
          (n) => n >= 2,
        );
        expect(seen.map((e) => (e.data as { n: number }).n)).toEqual([1, 2]);
        expect(failures).toBeGreaterThanOrEqual(3); // two failed deliveries, then one or two good ones
      });

      it('stops delivering once stopped', async () => {
        const p = prefix();
        const seen = collect(null, p);
        await store.append(`${p}a`, [event(1)], 'no_stream');
        await eventually(
          () => seen.length,
          (n) => n === 1,
        );
        await subscriptions.pop()!.stop();
        await store.append(`${p}a`, [event(2)], 0);
        // a second subscriber proves the event was written and delivered by now
        const witness = collect(null, p);
        await eventually(
          () => witness.length,
          (n) => n === 2,
        );
        expect(seen).toHaveLength(1);
      });
    });
  });
}
