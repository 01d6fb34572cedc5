import { Snapshot, SnapshotStore } from './snapshot-store.port';

/** What every snapshot store does; each adapter's spec runs it. */
export function snapshotStoreContract(name: string, open: () => Promise<{ store: SnapshotStore; close(): Promise<void> }>) {
  describe(`SnapshotStore contract (${name})`, () => {
    let store: SnapshotStore;
    let close: () => Promise<void>;
    beforeEach(async () => ({ store, close } = await open()));
    afterEach(async () => close());

    const snapshot = (revision: number, state: unknown = { n: revision }): Snapshot => ({ stream: 'schedule-1', revision, version: 1, state });

    it('has nothing for a stream never saved', async () => {
      expect(await store.load('schedule-unknown')).toBeNull();
    });

    it('returns what was saved, state and all', async () => {
      const saved = snapshot(49, { status: 'Active', running: ['2027-01-01T00:00:00.000Z'], nested: { a: [1, 2] } });
      await store.save(saved);
      expect(await store.load('schedule-1')).toEqual(saved);
    });

    it('keeps the later of two snapshots, whatever order they are saved in', async () => {
      await store.save(snapshot(99));
      await store.save(snapshot(49));
      expect(await store.load('schedule-1')).toEqual(snapshot(99));
      await store.save(snapshot(149));
      expect(await store.load('schedule-1')).toEqual(snapshot(149));
    });

    it('keeps streams apart', async () => {
      await store.save({ stream: 'schedule-a', revision: 1, version: 1, state: 'a' });
      await store.save({ stream: 'schedule-b', revision: 2, version: 3, state: 'b' });
      expect(await store.load('schedule-a')).toEqual({ stream: 'schedule-a', revision: 1, version: 1, state: 'a' });
      expect(await store.load('schedule-b')).toEqual({ stream: 'schedule-b', revision: 2, version: 3, state: 'b' });
    });
  });
}
