import type { Channel } from 'amqplib';
import { DelayTopology, workQueueName } from './delay-topology';

/**
 * The rabbitmq_delayed_message_exchange plugin: one exchange holds each
 * message for its `x-delay`, then routes it by topic. Its own README warns
 * it is not built for 100,000s of pending messages, which is why the
 * scheduler hands over only what falls due within its horizon.
 */
export class DelayedExchangeTopology implements DelayTopology {
  readonly name = 'delayed-message-exchange';
  /** The plugin accepts x-delay up to 2^32-1 ms (about 49 days). */
  readonly maxDelayMs = 2 ** 32 - 1;
  private readonly exchange: string;

  constructor(private readonly prefix: string) {
    this.exchange = `${prefix}.delayed`;
  }

  workQueue(topic: string): string {
    return workQueueName(this.prefix, topic);
  }

  async declare(channel: Channel): Promise<void> {
    await channel.assertExchange(this.exchange, 'x-delayed-message', { durable: true, arguments: { 'x-delayed-type': 'direct' } });
  }

  async declareTopic(channel: Channel, topic: string): Promise<void> {
    await channel.assertQueue(this.workQueue(topic), { durable: true });
    await channel.bindQueue(this.workQueue(topic), this.exchange, topic);
  }

  route(delayMs: number, topic: string) {
    const delay = Math.min(this.maxDelayMs, Math.max(0, Math.round(delayMs)));
    return { exchange: this.exchange, routingKey: topic, headers: { 'x-delay': delay } };
  }

  names(topics: readonly string[]) {
    return { exchanges: [this.exchange], queues: topics.map((t) => this.workQueue(t)) };
  }
}
