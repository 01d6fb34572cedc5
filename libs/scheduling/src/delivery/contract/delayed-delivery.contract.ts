import { randomUUID } from 'node:crypto';
import { eventually } from '@herald/testing';
import { CallbackDue } from '../../callback-due';
import { DelayedDelivery } from '../delayed-delivery.port';

export interface DeliveryFixture {
  delivery: DelayedDelivery;
  close(): Promise<void>;
}

interface Received {
  message: CallbackDue;
  at: number;
}

/**
 * Every DelayedDelivery adapter passes this. `open` may be called more than
 * once in a test (a restart); fixtures it returns share their durable state.
 * `latenessToleranceMs` is what the adapter promises under no load.
 */
export function delayedDeliveryContract(
  name: string,
  open: () => Promise<DeliveryFixture>,
  { latenessToleranceMs }: { latenessToleranceMs: number },
) {
  describe(`DelayedDelivery contract: ${name}`, () => {
    const opened: DeliveryFixture[] = [];
    const start = async (handler: (m: CallbackDue) => Promise<void> = async () => undefined) => {
      const fixture = await open();
      opened.push(fixture);
      const received: Received[] = [];
      await fixture.delivery.consume(async (message) => {
        received.push({ message, at: Date.now() });
        await handler(message);
      });
      return { delivery: fixture.delivery, received, fixture };
    };
    const due = (inMs: number, reminderId = randomUUID(), attempt = 1): CallbackDue => ({ reminderId, attempt, dueAt: Date.now() + inMs });
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((f) => f.close()));
    });

    it('releases a message at its due time, not before', async () => {
      const { delivery, received } = await start();
      const message = due(300);
      await delivery.schedule([message]);
      const [got] = await eventually(() => received, (r) => r.length === 1);
      expect(got.message).toEqual(message);
      expect(got.at).toBeGreaterThanOrEqual(message.dueAt);
      expect(got.at - message.dueAt).toBeLessThanOrEqual(latenessToleranceMs);
    });

    it('releases an overdue message at once', async () => {
      const { delivery, received } = await start();
      const message = due(-5_000);
      const sentAt = Date.now();
      await delivery.schedule([message]);
      const [got] = await eventually(() => received, (r) => r.length === 1);
      expect(got.at - sentAt).toBeLessThanOrEqual(latenessToleranceMs);
    });

    it('releases messages in due order whatever the order they were scheduled in', async () => {
      const { delivery, received } = await start();
      const messages = [due(600), due(200), due(400), due(0)];
      await delivery.schedule(messages);
      await eventually(() => received.length, (n) => n === 4);
      expect(received.map((r) => r.message.dueAt)).toEqual(messages.map((m) => m.dueAt).sort((a, b) => a - b));
    });

    it('delivers a burst of 500 messages, each once', async () => {
      const { delivery, received } = await start();
      const messages = Array.from({ length: 500 }, (_, i) => due(100 + (i % 50) * 4));
      await delivery.schedule(messages);
      await eventually(() => received.length, (n) => n >= 500, { timeoutMs: 15_000 });
      expect(new Set(received.map((r) => r.message.reminderId)).size).toBe(500);
      expect(received.every((r) => r.at >= r.message.dueAt)).toBe(true);
    });

    it('delivers again when the handler throws', async () => {
      let calls = 0;
      const { delivery, received } = await start(async () => {
        if (++calls === 1) throw new Error('event store unavailable');
      });
      const message = due(0);
      await delivery.schedule([message]);
      await eventually(() => received.length, (n) => n === 2, { timeoutMs: 15_000 });
      expect(received.map((r) => r.message.reminderId)).toEqual([message.reminderId, message.reminderId]);
    });

    it('delivers again only the message whose handler threw, not those due with it', async () => {
      const messages = Array.from({ length: 50 }, () => due(100));
      const failing = messages[17].reminderId;
      let failed = false;
      const { delivery, received } = await start(async (m) => {
        if (m.reminderId === failing && !failed) {
          failed = true;
          throw new Error('receiver unavailable');
        }
      });
      await delivery.schedule(messages);
      await eventually(() => received.length, (n) => n >= 51, { timeoutMs: 15_000 });
      // A message scheduled after the redelivery marks the point by which any wrong repeat would have shown.
      const marker = due(200);
      await delivery.schedule([marker]);
      await eventually(() => received.some((r) => r.message.reminderId === marker.reminderId), Boolean, { timeoutMs: 15_000 });
      const counts = new Map<string, number>();
      for (const r of received) counts.set(r.message.reminderId, (counts.get(r.message.reminderId) ?? 0) + 1);
      expect(counts.get(failing)).toBe(2);
      expect(messages.filter((m) => m.reminderId !== failing).every((m) => counts.get(m.reminderId) === 1)).toBe(true);
    });

    it('keeps scheduled messages across a restart when it says it is durable', async () => {
      const first = await start();
      if (!first.delivery.durable) {
        // Not durable: the scheduler's time index re-hands everything after a restart instead.
        expect(first.delivery.durable).toBe(false);
        return;
      }
      const message = due(1_500);
      await first.delivery.schedule([message]);
      await first.fixture.close();
      opened.splice(opened.indexOf(first.fixture), 1);
      const second = await start();
      await eventually(() => second.received, (r) => r.length === 1, { timeoutMs: 10_000 });
      expect(second.received[0].message).toEqual(message);
    });
  });
}
