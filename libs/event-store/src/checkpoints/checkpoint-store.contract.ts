import { randomUUID } from 'node:crypto';
import { CheckpointStore } from './checkpoint-store.port';

/** Every CheckpointStore adapter passes this. */
export function checkpointStoreContract(name: string, open: () => Promise<{ store: CheckpointStore; close(): Promise<void> }>) {
  describe(`CheckpointStore contract: ${name}`, () => {
    let store: CheckpointStore;
    let close: () => Promise<void>;
    beforeEach(async () => ({ store, close } = await open()));
    afterEach(() => close());

    it('has no checkpoint for a new subscriber', async () => {
      expect(await store.load(`sub-${randomUUID()}`)).toBeNull();
    });

    it('answers a ping while it is up', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('returns the last position saved, per subscriber', async () => {
      const a = `sub-${randomUUID()}`;
      const b = `sub-${randomUUID()}`;
      await store.save(a, '10');
      await store.save(a, '42');
      await store.save(b, '7');
      expect(await store.load(a)).toBe('42');
      expect(await store.load(b)).toBe('7');
    });
  });
}
