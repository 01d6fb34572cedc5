import { randomUUID } from 'node:crypto';
import { RABBITMQ_TEST_URL, eventually, serverAvailable } from '@herald/testing';
import { delayedDeliveryContract } from '../contract/delayed-delivery.contract';
import { DelayMode, RabbitMqDelayedDelivery } from './rabbitmq-delayed-delivery';
import { hasDelayedExchangePlugin } from './detect-delayed-exchange-plugin';
import { TtlLevelsTopology } from './ttl-levels-topology';

const run = serverAvailable('RabbitMQ', RABBITMQ_TEST_URL);
const runId = randomUUID().slice(0, 8);

/** One topology per test (restarts within a test share it), deleted after the file. */
function rabbitFixtures(mode: DelayMode) {
  const used = new Map<string, RabbitMqDelayedDelivery>();
  const prefixForTest = () => `herald-test-${runId}-${mode}-${(expect.getState().currentTestName ?? 'x').replace(/\W+/g, '-').slice(-40)}`;
  afterAll(async () => {
    for (const d of used.values()) await RabbitMqDelayedDelivery.deleteTopology(RABBITMQ_TEST_URL, d.topology, d.topics);
  });
  return async () => {
    const delivery = await RabbitMqDelayedDelivery.connect({
      url: RABBITMQ_TEST_URL,
      prefix: prefixForTest(),
      mode,
      prefetch: 64,
      redeliveryDelayMs: 50,
    });
    used.set(prefixForTest(), delivery);
    return { delivery, close: () => delivery.close() };
  };
}

(run ? describe : describe.skip)('RabbitMQ delayed delivery', () => {
  delayedDeliveryContract('rabbitmq, plugin-free TTL levels', rabbitFixtures('ttl-levels'), { latenessToleranceMs: 100 });
  if (process.env.RABBITMQ_HAS_DELAYED_PLUGIN === 'true') {
    delayedDeliveryContract('rabbitmq, delayed-message-exchange plugin', rabbitFixtures('plugin'), { latenessToleranceMs: 100 });
  }

  describe('the delayed-message-exchange plugin', () => {
    it('is detected when present and reported absent otherwise, without breaking the connection', async () => {
      const present = await hasDelayedExchangePlugin(RABBITMQ_TEST_URL, `herald-test-${runId}`);
      // RABBITMQ_HAS_DELAYED_PLUGIN says what the broker under test has (compose: true; this machine: unset).
      expect(present).toBe(process.env.RABBITMQ_HAS_DELAYED_PLUGIN === 'true');
    });
  });

  describe('TTL level routing', () => {
    const topology = new TtlLevelsTopology('p', 5);
    it.each([
      [0, 'p.delay.deliver', '0.0.0.0.0.callbacks'],
      [1, 'p.delay.l00', '0.0.0.0.1.callbacks'],
      [10, 'p.delay.l03', '0.1.0.1.0.callbacks'],
      [31, 'p.delay.l04', '1.1.1.1.1.callbacks'],
      [1_000, 'p.delay.l04', '1.1.1.1.1.callbacks'],
      [-50, 'p.delay.deliver', '0.0.0.0.0.callbacks'],
    ])('routes a %p ms delay to %s with key %s', (delay, exchange, routingKey) => {
      expect(topology.route(delay, 'callbacks')).toEqual({ exchange, routingKey });
    });
  });

  describe('long delays', () => {
    let delivery: RabbitMqDelayedDelivery;
    afterEach(async () => {
      await delivery.close();
      await RabbitMqDelayedDelivery.deleteTopology(RABBITMQ_TEST_URL, delivery.topology, delivery.topics);
    });

    it('accepts a delay of years and holds it (not delivered early)', async () => {
      delivery = await RabbitMqDelayedDelivery.connect({
        url: RABBITMQ_TEST_URL,
        prefix: `herald-test-${runId}-years`,
        mode: 'ttl-levels',
        prefetch: 8,
      });
      const seen: string[] = [];
      await delivery.consume('callbacks', async (m) => void seen.push(m.key));
      const far = { topic: 'callbacks', key: 'far', sequence: 1, dueAt: Date.now() + 5 * 365 * 24 * 3600 * 1000 };
      const near = { topic: 'callbacks', key: 'near', sequence: 1, dueAt: Date.now() + 200 };
      await delivery.schedule([far, near]);
      // The near one passing through proves the topology works; the far one must still be waiting.
      await eventually(
        () => seen,
        (s) => s.includes('near'),
      );
      expect(seen).toEqual(['near']);
    });
  });
});
