import { randomUUID } from 'node:crypto';
import { eventually } from '@herald/testing';
import { WrongExpectedRevisionError } from '../errors';
import { EventStore, EventToAppend, RecordedEvent, Subscription } from '../event-store.port';

export interface EventStoreFixture {
  store: EventStore;
  close(): Promise<void>;
}

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
    const prefix = () => `test${randomUUID().replace(/-/g, '')}-`;

    beforeEach(async () => {
      fixture = await open();
      store = fixture.store;
    });
    afterEach(async () => {
      await Promise.all(subscriptions.splice(0).map((s) => s.stop()));
      await fixture.close();
    });

    const collect = (after: string | null, streamPrefix: string, onBatch?: (e: RecordedEvent[]) => Promise<void>) => {
      const seen: RecordedEvent[] = [];
      subscriptions.push(
        store.subscribeToAll({ after, streamPrefix }, async (batch) => {
          expect(batch.length).toBeGreaterThan(0);
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
        await eventually(() => seen.length, (n) => n >= 4, { what: '4 events' });
        expect(seen.map((e) => (e.data as { n: number }).n)).toEqual([1, 2, 3, 4]);
        expect(seen.map((e) => e.stream)).toEqual([`${p}a`, `${p}a`, `${p}b`, `${p}a`]);
      });

      it('resumes strictly after a stored position', async () => {
        const p = prefix();
        await store.append(`${p}a`, [event(1)], 'no_stream');
        const { position } = await store.append(`${p}a`, [event(2)], 0);
        await store.append(`${p}a`, [event(3)], 1);
        const seen = collect(position, p);
        await eventually(() => seen.length, (n) => n >= 1);
        await store.append(`${p}a`, [event(4)], 2);
        await eventually(() => seen.length, (n) => n >= 2);
        expect(seen.map((e) => (e.data as { n: number }).n)).toEqual([3, 4]);
      });

      it('filters by stream prefix', async () => {
        const p = prefix();
        const other = prefix();
        const seen = collect(null, p);
        await store.append(`${other}x`, [event(1)], 'no_stream');
        await store.append(`${p}y`, [event(2)], 'no_stream');
        await eventually(() => seen.length, (n) => n >= 1);
        expect(seen.map((e) => e.stream)).toEqual([`${p}y`]);
      });

      it('retries a failing handler instead of skipping the event', async () => {
        const p = prefix();
        let failures = 0;
        const seen = collect(null, p, async () => {
          if (failures++ < 2) throw new Error('projection store down');
        });
        await store.append(`${p}a`, [event(1), event(2)], 'no_stream');
        await eventually(() => seen.length, (n) => n >= 2);
        expect(seen.map((e) => (e.data as { n: number }).n)).toEqual([1, 2]);
        expect(failures).toBeGreaterThanOrEqual(3); // two failed deliveries, then one or two good ones
      });

      it('stops delivering once stopped', async () => {
        const p = prefix();
        const seen = collect(null, p);
        await store.append(`${p}a`, [event(1)], 'no_stream');
        await eventually(() => seen.length, (n) => n === 1);
        await subscriptions.pop()!.stop();
        await store.append(`${p}a`, [event(2)], 0);
        // a second subscriber proves the event was written and delivered by now
        const witness = collect(null, p);
        await eventually(() => witness.length, (n) => n === 2);
        expect(seen).toHaveLength(1);
      });
    });
  });
}
