import type { Channel } from 'amqplib';
import { DelayTopology, workQueueName } from './delay-topology';

const ROUTING_KEY = 'callback-due';

/**
 * The rabbitmq_delayed_message_exchange plugin: one exchange holds each
 * message for its `x-delay`. Its own README warns it is not built for
 * 100,000s of pending messages, which is why the scheduler hands over only
 * what falls due within its horizon.
 */
export class DelayedExchangeTopology implements DelayTopology {
  readonly name = 'delayed-message-exchange';
  readonly workQueue: string;
  /** The plugin accepts x-delay up to 2^32-1 ms (about 49 days). */
  readonly maxDelayMs = 2 ** 32 - 1;
  private readonly exchange: string;

  constructor(prefix: string) {
    this.workQueue = workQueueName(prefix);
    this.exchange = `${prefix}.delayed`;
  }

  async declare(channel: Channel): Promise<void> {
    await channel.assertExchange(this.exchange, 'x-delayed-message', { durable: true, arguments: { 'x-delayed-type': 'direct' } });
    await channel.assertQueue(this.workQueue, { durable: true });
    await channel.bindQueue(this.workQueue, this.exchange, ROUTING_KEY);
  }

  route(delayMs: number) {
    const delay = Math.min(this.maxDelayMs, Math.max(0, Math.round(delayMs)));
    return { exchange: this.exchange, routingKey: ROUTING_KEY, headers: { 'x-delay': delay } };
  }

  names() {
    return { exchanges: [this.exchange], queues: [this.workQueue] };
  }
}
