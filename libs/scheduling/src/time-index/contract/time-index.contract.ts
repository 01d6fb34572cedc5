import { randomUUID } from 'node:crypto';
import { ClaimOptions, TimeIndex } from '../time-index.port';

/** Every TimeIndex adapter passes this; `open` must hand out an empty index, and `openSecond` another client of the same one. */
export function timeIndexContract(name: string, open: () => Promise<{ index: TimeIndex; openSecond(): Promise<TimeIndex>; close(): Promise<void> }>) {
  describe(`TimeIndex contract: ${name}`, () => {
    let index: TimeIndex;
    let openSecond: () => Promise<TimeIndex>;
    let close: () => Promise<void>;
    beforeEach(async () => ({ index, openSecond, close } = await open()));
    afterEach(() => close());
    const entry = (dueAt: number, sequence = 1, key: string = randomUUID(), topic = 'callbacks') => ({ topic, key, sequence, dueAt });
    const NOW = 1_000;
    const claim = (i: TimeIndex, o: Partial<ClaimOptions> = {}) =>
      i.claimDue({ now: NOW, until: 1_000, limit: 10, claimTtlMs: 500, staleAfterMs: 60_000, ...o });

    it('claims what falls due by a time, soonest first, up to a limit', async () => {
      const [a, b, c] = [entry(300), entry(100), entry(200)];
      for (const e of [a, b, c, entry(10_000)]) await index.put(e);
      expect(await claim(index, { until: 300, limit: 2 })).toEqual([b, c]);
      expect(await claim(index, { until: 300 })).toEqual([a]);
      expect(await index.size()).toBe(4);
    });

    it('keeps one entry per topic and key: a later sequence replaces the earlier', async () => {
      const first = entry(100);
      const retry = { ...first, sequence: 2, dueAt: 500 };
      await index.put(first);
      await index.put(retry);
      expect(await claim(index)).toEqual([retry]);
    });

    it('ignores an older sequence put after a newer one (replayed events)', async () => {
      const retry = entry(500, 2);
      await index.put(retry);
      await index.put({ ...retry, sequence: 1, dueAt: 100 });
      expect(await claim(index)).toEqual([retry]);
    });

    it('never hands the same entry to two claimers while the claim lives', async () => {
      const entries = Array.from({ length: 20 }, (_, i) => entry(100 + i));
      for (const e of entries) await index.put(e);
      const second = await openSecond();
      const [mine, theirs] = await Promise.all([claim(index, { limit: 15 }), claim(second, { limit: 15 })]);
      expect(mine.length + theirs.length).toBe(20);
      expect(new Set([...mine, ...theirs].map((e) => e.key)).size).toBe(20);
    });

    it('lets a claim lapse when its claimer never confirms the hand-off', async () => {
      const e = entry(100);
      await index.put(e);
      expect(await claim(index, { claimTtlMs: 500 })).toEqual([e]);
      expect(await claim(index, { now: NOW + 499 })).toEqual([]);
      expect(await claim(index, { now: NOW + 500 })).toEqual([e]);
    });

    it('hides handed-off entries, even when the same event is replayed, until a reset', async () => {
      const e = entry(100);
      await index.put(e);
      await index.markHandedOff(await claim(index), NOW);
      await index.put(e);
      expect(await claim(index, { now: NOW + 10_000 })).toEqual([]);
      await index.resetHandOffs();
      expect(await claim(index)).toEqual([e]);
    });

    it('offers a new sequence of a handed-off entry at once', async () => {
      const e = entry(100);
      await index.put(e);
      await index.markHandedOff(await claim(index), NOW);
      const retry = { ...e, sequence: 2, dueAt: 900 };
      await index.put(retry);
      expect(await claim(index)).toEqual([retry]);
    });

    it('offers a handed-off entry again once its hand-off is stale: its message was lost, or nobody took it', async () => {
      const e = entry(100);
      await index.put(e);
      await index.markHandedOff(await claim(index), NOW);
      expect(await claim(index, { now: NOW + 60_000, until: NOW + 60_000 })).toEqual([]);
      expect(await claim(index, { now: NOW + 60_001, until: NOW + 60_001 })).toEqual([e]);
    });

    it('looks for stale hand-offs only when asked (staleAfterMs): the runs a new entry nudges claim fresh entries only', async () => {
      const [stale, fresh] = [entry(100), entry(200)];
      await index.put(stale);
      await index.markHandedOff(await claim(index), NOW);
      await index.put(fresh);
      const later = NOW + 60_001;
      expect(await claim(index, { now: later, until: later, staleAfterMs: undefined })).toEqual([fresh]);
      expect(await claim(index, { now: later, until: later })).toEqual([stale]);
    });

    it('counts staleness from the last hand-off, so an entry waiting long is offered again once per interval, not on every run', async () => {
      const e = entry(100);
      await index.put(e);
      await index.markHandedOff(await claim(index), NOW);
      const later = NOW + 60_001;
      const again = await claim(index, { now: later, until: later });
      expect(again).toEqual([e]);
      await index.markHandedOff(again, later);
      expect(await claim(index, { now: later + 1, until: later + 1 })).toEqual([]);
      expect(await claim(index, { now: later + 60_001, until: later + 60_001 })).toEqual([e]);
    });

    it('does not mark a sequence that is no longer the stored one', async () => {
      const e = entry(100);
      await index.put(e);
      const claimed = await claim(index);
      const retry = { ...e, sequence: 2 };
      await index.put(retry);
      await index.markHandedOff(claimed, NOW);
      expect(await claim(index)).toEqual([retry]);
    });

    it('applies a page of puts and removes at once', async () => {
      const [a, b, c] = [entry(100), entry(200), entry(300)];
      await index.put(c);
      await index.apply({ put: [a, b, { ...a, sequence: 2, dueAt: 150 }], remove: [c] });
      expect(await claim(index)).toEqual([{ ...a, sequence: 2, dueAt: 150 }, b]);
      await index.apply({ put: [], remove: [] });
      expect(await index.size()).toBe(2);
    });

    it('keeps the same key on different topics apart', async () => {
      const key = randomUUID();
      const callback = entry(100, 3, key, 'callbacks');
      const lease = entry(200, 1, key, 'task-leases');
      await index.apply({ put: [callback, lease], remove: [] });
      expect(await claim(index)).toEqual([callback, lease]);
      await index.remove(callback);
      expect(await index.size()).toBe(1);
    });

    it('forgets the entries of the topics it clears and keeps the others', async () => {
      const kept = entry(300, 1, randomUUID(), 'schedule-occurrences');
      await index.apply({
        put: [entry(100), entry(200, 1, randomUUID(), 'task-starts'), entry(250, 2, randomUUID(), 'task-leases'), kept],
        remove: [],
      });
      await index.clear(['task-starts', 'task-leases', 'callbacks']);
      expect(await index.size()).toBe(1);
      expect(await claim(index)).toEqual([kept]);
      await index.clear(['schedule-occurrences']);
      expect(await index.size()).toBe(0);
    });

    it('forgets removed entries', async () => {
      const e = entry(100);
      await index.put(e);
      await index.remove(e);
      await index.remove({ topic: 'callbacks', key: randomUUID() });
      expect(await claim(index)).toEqual([]);
      expect(await index.size()).toBe(0);
    });
  });
}
