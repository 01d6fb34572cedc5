import { RabbitMqDelayedDelivery } from '@herald/scheduling/delivery/rabbitmq/rabbitmq-delayed-delivery';
import { percentile } from './support';

const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/**
 * The broker's delay path alone, no Herald services: `rate` messages a second
 * due over 10 s, published 5 s ahead through the TTL levels (or the plugin),
 * consumed by a no-op handler. Separates broker limits from Herald's.
 */
export async function benchRabbitDelay(rate: number, mode: 'ttl-levels' | 'plugin' = 'ttl-levels') {
  const delivery = await RabbitMqDelayedDelivery.connect({ url: RABBITMQ_URL, prefix: `herald-bench-delay-${Date.now()}`, mode, prefetch: 256 });
  try {
    const lateness: number[] = [];
    await delivery.consume('callbacks', async (m) => void lateness.push(Date.now() - m.dueAt));
    const count = rate * 10;
    const start = Date.now() + 5_000;
    const messages = Array.from({ length: count }, (_, i) => ({
      topic: 'callbacks',
      key: `r${i}`,
      sequence: 1,
      dueAt: start + Math.floor((i * 10_000) / count),
    }));
    for (let i = 0; i < count; i += 1_000) await delivery.schedule(messages.slice(i, i + 1_000));
    const deadline = Date.now() + 90_000;
    while (lateness.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    lateness.sort((a, b) => a - b);
    const result = {
      mode,
      rate,
      received: lateness.length,
      p50: percentile(lateness, 50),
      p99: percentile(lateness, 99),
      max: lateness[lateness.length - 1],
    };
    console.log(
      `rabbitmq ${mode} delay path ${rate}/s: p50 ${result.p50} ms, p99 ${result.p99} ms, max ${result.max} ms, received ${result.received}/${count}`,
    );
    return result;
  } finally {
    await delivery.close();
    await RabbitMqDelayedDelivery.deleteTopology(RABBITMQ_URL, delivery.topology, delivery.topics);
  }
}

if (require.main === module) {
  void (async () => {
    for (const rate of process.argv.slice(2).map(Number).filter(Boolean).length ? process.argv.slice(2).map(Number) : [100, 1_000])
      await benchRabbitDelay(rate);
  })();
}
