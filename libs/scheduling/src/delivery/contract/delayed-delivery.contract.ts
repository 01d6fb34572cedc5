import { randomUUID } from 'node:crypto';
import { eventually } from '@herald/testing';
import { DueEntry } from '../../due-entry';
import { DelayedDelivery } from '../delayed-delivery.port';

export interface DeliveryFixture {
  delivery: DelayedDelivery;
  close(): Promise<void>;
}

interface Received {
  message: DueEntry;
  at: number;
}

/**
 * Every DelayedDelivery adapter passes this. `open` may be called more than
 * once in a test (a restart); fixtures it returns share their durable state.
 * `latenessToleranceMs` is what the adapter promises under no load.
 */
const TOPIC = 'callbacks';
const OTHER_TOPIC = 'task-leases';

export function delayedDeliveryContract(
  name: string,
  open: () => Promise<DeliveryFixture>,
  { latenessToleranceMs }: { latenessToleranceMs: number },
) {
  describe(`DelayedDelivery contract: ${name}`, () => {
    const opened: DeliveryFixture[] = [];
    const start = async (handler: (m: DueEntry) => Promise<void> = async () => undefined, topic = TOPIC) => {
      const fixture = await open();
      opened.push(fixture);
      const received: Received[] = [];
      await fixture.delivery.consume(topic, async (message) => {
        received.push({ message, at: Date.now() });
        await handler(message);
      });
      return { delivery: fixture.delivery, received, fixture };
    };
    const due = (inMs: number, key = randomUUID(), topic = TOPIC): DueEntry => ({ topic, key, sequence: 1, dueAt: Date.now() + inMs });
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((f) => f.close()));
    });

    it('releases a message at its due time, not before', async () => {
      const { delivery, received } = await start();
      const message = due(300);
      await delivery.schedule([message]);
      const [got] = await eventually(
        () => received,
        (r) => r.length === 1,
      );
      expect(got.message).toEqual(message);
      expect(got.at).toBeGreaterThanOrEqual(message.dueAt);
      expect(got.at - message.dueAt).toBeLessThanOrEqual(latenessToleranceMs);
    });

    it('releases an overdue message at once', async () => {
      const { delivery, received } = await start();
      const message = due(-5_000);
      const sentAt = Date.now();
      await delivery.schedule([message]);
      const [got] = await eventually(
        () => received,
        (r) => r.length === 1,
      );
      expect(got.at - sentAt).toBeLessThanOrEqual(latenessToleranceMs);
    });

    it('releases messages in due order whatever the order they were scheduled in', async () => {
      const { delivery, received } = await start();
      const messages = [due(600), due(200), due(400), due(0)];
      await delivery.schedule(messages);
      await eventually(
        () => received.length,
        (n) => n === 4,
      );
      expect(received.map((r) => r.message.dueAt)).toEqual(messages.map((m) => m.dueAt).sort((a, b) => a - b));
    });

    it('delivers a burst of 500 messages, each once', async () => {
      const { delivery, received } = await start();
      const messages = Array.from({ length: 500 }, (_, i) => due(100 + (i % 50) * 4));
      await delivery.schedule(messages);
      await eventually(
        () => received.length,
        (n) => n >= 500,
        { timeoutMs: 15_000 },
      );
      expect(new Set(received.map((r) => r.message.key)).size).toBe(500);
      expect(received.every((r) => r.at >= r.message.dueAt)).toBe(true);
    });

    it('delivers again when the handler throws', async () => {
      let calls = 0;
      const { delivery, received } = await start(async () => {
        if (++calls === 1) throw new Error('event store unavailable');
      });
      const message = due(0);
      await delivery.schedule([message]);
      await eventually(
        () => received.length,
        (n) => n === 2,
        { timeoutMs: 15_000 },
      );
      expect(received.map((r) => r.message.key)).toEqual([message.key, message.key]);
    });

    it('delivers again only the message whose handler threw, not those due with it', async () => {
      const messages = Array.from({ length: 50 }, () => due(100));
      const failing = messages[17].key;
      let failed = false;
      const { delivery, received } = await start(async (m) => {
        if (m.key === failing && !failed) {
          failed = true;
          throw new Error('receiver unavailable');
        }
      });
      await delivery.schedule(messages);
      await eventually(
        () => received.length,
        (n) => n >= 51,
        { timeoutMs: 15_000 },
      );
      // A message scheduled after the redelivery marks the point by which any wrong repeat would have shown.
      const marker = due(200);
      await delivery.schedule([marker]);
      await eventually(() => received.some((r) => r.message.key === marker.key), Boolean, { timeoutMs: 15_000 });
      const counts = new Map<string, number>();
      for (const r of received) counts.set(r.message.key, (counts.get(r.message.key) ?? 0) + 1);
      expect(counts.get(failing)).toBe(2);
      expect(messages.filter((m) => m.key !== failing).every((m) => counts.get(m.key) === 1)).toBe(true);
    });

    it('keeps scheduled messages across a restart when it says it is durable, and only then', async () => {
      const first = await start();
      const message = due(1_000);
      await first.delivery.schedule([message]);
      await first.fixture.close();
      opened.splice(opened.indexOf(first.fixture), 1);
      const second = await start();
      // A marker due after the message: once it arrives, the message has arrived too if it survived.
      const marker = due(1_500);
      await second.delivery.schedule([marker]);
      await eventually(() => second.received.some((r) => r.message.key === marker.key), Boolean, { timeoutMs: 10_000 });
      const survived = second.received.some((r) => r.message.key === message.key);
      // Not durable: the scheduler's time index re-hands everything after a restart instead.
      expect(survived).toBe(second.delivery.durable);
    });

    it("hands each entry to its own topic's consumer", async () => {
      const a = await start(undefined, TOPIC);
      const fixture = a.fixture;
      const other: DueEntry[] = [];
      await fixture.delivery.consume(OTHER_TOPIC, async (m) => void other.push(m));
      const mine = due(50);
      const theirs = due(50, randomUUID(), OTHER_TOPIC);
      await a.delivery.schedule([mine, theirs]);
      await eventually(
        () => a.received.length + other.length,
        (n) => n >= 2,
      );
      expect(a.received.map((r) => r.message)).toEqual([mine]);
      expect(other).toEqual([theirs]);
    });
  });
}
