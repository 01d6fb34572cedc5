import { eventually } from '@herald/testing';
import { delayedDeliveryContract } from '../contract/delayed-delivery.contract';
import { InProcessDelayedDelivery } from './in-process-delayed-delivery';

delayedDeliveryContract(
  'in-process',
  async () => {
    const delivery = new InProcessDelayedDelivery({ concurrency: 64, redeliveryDelayMs: 50 });
    return { delivery, close: () => delivery.close() };
  },
  { latenessToleranceMs: 25 },
);

describe('InProcessDelayedDelivery', () => {
  it('runs at most `concurrency` handlers at once and queues the rest', async () => {
    const delivery = new InProcessDelayedDelivery({ concurrency: 3 });
    let running = 0;
    let peak = 0;
    let done = 0;
    await delivery.consume('callbacks', async () => {
      peak = Math.max(peak, ++running);
      await new Promise((r) => setTimeout(r, 20));
      running--;
      done++;
    });
    await delivery.schedule(Array.from({ length: 12 }, (_, i) => ({ topic: 'callbacks', key: `r${i}`, sequence: 1, dueAt: Date.now() })));
    await eventually(
      () => done,
      (n) => n === 12,
    );
    expect(peak).toBe(3);
    await delivery.close();
  });

  it('hands an entry that is already due to its consumer at once, without arming a timer', async () => {
    const now = 1_000_000;
    const delivery = new InProcessDelayedDelivery({ concurrency: 8, now: () => now });
    const seen: string[] = [];
    await delivery.consume('task-starts', async (m) => void seen.push(m.key));
    await delivery.schedule([
      { topic: 'task-starts', key: 'later', sequence: 1, dueAt: now },
      { topic: 'task-starts', key: 'earlier', sequence: 1, dueAt: now - 5 },
      { topic: 'task-starts', key: 'future', sequence: 1, dueAt: now + 60_000 },
    ]);
    // No timer has run yet: the due ones were started by schedule() itself, in due order; the future one waits.
    expect(seen).toEqual(['earlier', 'later']);
    expect(delivery.pending).toBe(1);
    await delivery.close();
  });

  it('ignores a message it already holds, so a hand-off repeated within a run fires once', async () => {
    const delivery = new InProcessDelayedDelivery({ concurrency: 8 });
    const seen: string[] = [];
    await delivery.consume('callbacks', async (m) => void seen.push(m.key));
    const message = { topic: 'callbacks', key: 'r1', sequence: 1, dueAt: Date.now() + 50 };
    await delivery.schedule([message, message]);
    await delivery.schedule([message]);
    await eventually(
      () => seen.length,
      (n) => n === 1,
    );
    expect(delivery.pending).toBe(0);
    expect(seen).toEqual(['r1']);
    await delivery.close();
  });

  it('keeps entries due before their topic has a consumer, and logs a failing handler', async () => {
    const logged: string[] = [];
    const delivery = new InProcessDelayedDelivery({ concurrency: 8, redeliveryDelayMs: 10, log: (_level, message) => void logged.push(message) });
    await delivery.schedule([{ topic: 'task-starts', key: 't1', sequence: 1, dueAt: Date.now() }]);
    await eventually(
      () => delivery.pending,
      (n) => n === 1,
    ); // due, waiting for a consumer
    const seen: string[] = [];
    let calls = 0;
    await delivery.consume('task-starts', async (m) => {
      if (++calls === 1) throw new Error('store down');
      seen.push(m.key);
    });
    await eventually(
      () => seen,
      (s) => s.length === 1,
    );
    expect(logged).toEqual(['handler failed; entry delayed for redelivery']);
    await delivery.close();
  });
});
