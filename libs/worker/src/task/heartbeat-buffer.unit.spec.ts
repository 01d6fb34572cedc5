import { HeartbeatBuffer } from './heartbeat-buffer';

/** Whether a promise has settled, without waiting on anything but already-queued microtasks. */
async function state(promise: Promise<unknown>): Promise<'pending' | 'resolved' | 'rejected'> {
  const marker = Symbol();
  return Promise.race([promise, Promise.resolve(marker)]).then(
    (v) => (v === marker ? 'pending' : 'resolved'),
    () => 'rejected',
  );
}

describe('HeartbeatBuffer', () => {
  it('coalesces progress: a tick carries only the newest value, then nothing until more arrives', () => {
    const buffer = new HeartbeatBuffer();
    for (let i = 1; i <= 100; i++) buffer.offerProgress({ percent: i });
    expect(buffer.take(true).body).toEqual({ progress: { percent: 100 } });
    expect(buffer.take(true).body).toEqual({});
  });

  it('leaves progress for the next tick when a heartbeat is sent for a checkpoint', () => {
    const buffer = new HeartbeatBuffer();
    buffer.offerProgress({ percent: 10 });
    void buffer.offerCheckpoint({ page: 3 });
    expect(buffer.take(false).body).toEqual({ checkpoint: { page: 3 } });
    expect(buffer.take(true).body).toEqual({ progress: { percent: 10 } });
  });

  it('resolves a checkpoint only once the heartbeat carrying it is delivered', async () => {
    const buffer = new HeartbeatBuffer();
    const saved = buffer.offerCheckpoint({ page: 3 });
    const batch = buffer.take(false);
    expect(await state(saved)).toBe('pending');
    batch.delivered();
    expect(await state(saved)).toBe('resolved');
  });

  it('coalesces checkpoints to the newest, whose delivery resolves every waiter', async () => {
    const buffer = new HeartbeatBuffer();
    const first = buffer.offerCheckpoint({ page: 1 });
    const second = buffer.offerCheckpoint({ page: 2 });
    const batch = buffer.take(false);
    expect(batch.body).toEqual({ checkpoint: { page: 2 } });
    batch.delivered();
    expect([await state(first), await state(second)]).toEqual(['resolved', 'resolved']);
  });

  it('restores a failed batch for the next heartbeat, unless newer values arrived meanwhile', async () => {
    const buffer = new HeartbeatBuffer();
    buffer.offerProgress(1);
    const old = buffer.offerCheckpoint('a');
    const batch = buffer.take(true);
    buffer.offerProgress(2);
    const newer = buffer.offerCheckpoint('b');
    buffer.restore(batch);
    const retry = buffer.take(true);
    expect(retry.body).toEqual({ progress: 2, checkpoint: 'b' });
    retry.delivered();
    expect([await state(old), await state(newer)]).toEqual(['resolved', 'resolved']);
  });

  it('restores a failed batch as it was when nothing newer arrived', () => {
    const buffer = new HeartbeatBuffer();
    buffer.offerProgress(1);
    void buffer.offerCheckpoint('a');
    buffer.restore(buffer.take(true));
    expect(buffer.take(true).body).toEqual({ progress: 1, checkpoint: 'a' });
  });

  it('remembers the newest checkpoint even after it was taken, for a release', () => {
    const buffer = new HeartbeatBuffer();
    expect(buffer.latestCheckpoint).toBeUndefined();
    void buffer.offerCheckpoint({ page: 1 });
    buffer.take(false).delivered();
    expect(buffer.latestCheckpoint).toEqual({ value: { page: 1 } });
  });

  it('rejects waiting checkpoints without an unhandled rejection when nobody awaits them', async () => {
    const buffer = new HeartbeatBuffer();
    const awaited = buffer.offerCheckpoint('a');
    void buffer.offerCheckpoint('b'); // not awaited: must not crash the process
    buffer.rejectAll(new Error('lease lost'));
    await expect(awaited).rejects.toThrow('lease lost');
    expect(buffer.hasCheckpoint).toBe(false);
  });
});
