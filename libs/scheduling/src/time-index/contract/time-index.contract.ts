import { randomUUID } from 'node:crypto';
import { TimeIndex } from '../time-index.port';

/** Every TimeIndex adapter passes this; `open` must hand out an empty index. */
export function timeIndexContract(name: string, open: () => Promise<{ index: TimeIndex; close(): Promise<void> }>) {
  describe(`TimeIndex contract: ${name}`, () => {
    let index: TimeIndex;
    let close: () => Promise<void>;
    beforeEach(async () => ({ index, close } = await open()));
    afterEach(() => close());
    const entry = (dueAt: number, attempt = 1, reminderId: string = randomUUID()) => ({ reminderId, attempt, dueAt });

    it('lists what falls due by a time, soonest first, up to a limit', async () => {
      const [a, b, c] = [entry(300), entry(100), entry(200)];
      for (const e of [a, b, c, entry(10_000)]) await index.put(e);
      expect(await index.due(300, 10)).toEqual([b, c, a]);
      expect(await index.due(300, 2)).toEqual([b, c]);
      expect(await index.size()).toBe(4);
    });

    it('keeps one entry per reminder: a later attempt replaces the earlier', async () => {
      const first = entry(100);
      const retry = { ...first, attempt: 2, dueAt: 500 };
      await index.put(first);
      await index.put(retry);
      expect(await index.due(1_000, 10)).toEqual([retry]);
    });

    it('ignores an older attempt put after a newer one (replayed events)', async () => {
      const retry = entry(500, 2);
      await index.put(retry);
      await index.put({ ...retry, attempt: 1, dueAt: 100 });
      expect(await index.due(1_000, 10)).toEqual([retry]);
    });

    it('hides handed-off entries until the next attempt or a reset', async () => {
      const e = entry(100);
      await index.put(e);
      await index.markHandedOff([e]);
      expect(await index.due(1_000, 10)).toEqual([]);
      await index.put(e); // the same event replayed: still handed off
      expect(await index.due(1_000, 10)).toEqual([]);
      await index.resetHandOffs();
      expect(await index.due(1_000, 10)).toEqual([e]);
      await index.markHandedOff([e]);
      const retry = { ...e, attempt: 2, dueAt: 900 };
      await index.put(retry);
      expect(await index.due(1_000, 10)).toEqual([retry]);
    });

    it('does not mark an attempt that is no longer the stored one', async () => {
      const e = entry(100);
      await index.put(e);
      const retry = { ...e, attempt: 2 };
      await index.put(retry);
      await index.markHandedOff([e]);
      expect(await index.due(1_000, 10)).toEqual([retry]);
    });

    it('forgets removed reminders', async () => {
      const e = entry(100);
      await index.put(e);
      await index.remove(e.reminderId);
      await index.remove(randomUUID());
      expect(await index.due(1_000, 10)).toEqual([]);
      expect(await index.size()).toBe(0);
    });
  });
}
