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
    await delivery.consume(async () => {
      peak = Math.max(peak, ++running);
      await new Promise((r) => setTimeout(r, 20));
      running--;
      done++;
    });
    await delivery.schedule(Array.from({ length: 12 }, (_, i) => ({ reminderId: `r${i}`, attempt: 1, dueAt: Date.now() })));
    await eventually(() => done, (n) => n === 12);
    expect(peak).toBe(3);
    await delivery.close();
  });

  it('ignores a message it already holds, so a hand-off repeated within a run fires once', async () => {
    const delivery = new InProcessDelayedDelivery({ concurrency: 8 });
    const seen: string[] = [];
    await delivery.consume(async (m) => void seen.push(m.reminderId));
    const message = { reminderId: 'r1', attempt: 1, dueAt: Date.now() + 50 };
    await delivery.schedule([message, message]);
    await delivery.schedule([message]);
    await eventually(() => seen.length, (n) => n === 1);
    expect(delivery.pending).toBe(0);
    expect(seen).toEqual(['r1']);
    await delivery.close();
  });
});
