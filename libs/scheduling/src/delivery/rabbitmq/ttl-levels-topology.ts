import type { Channel } from 'amqplib';
import { DelayTopology, workQueueName } from './delay-topology';

/**
 * Plugin-free delays, after the NServiceBus / Kombu design but in
 * milliseconds: level L is a topic exchange and a queue whose every message
 * lives 2^L ms. The routing key spells the delay in binary, highest level
 * first; each level's exchange sends the message into its queue when its
 * bit is 1 or on to the next level's exchange when 0, and each queue
 * dead-letters into the next level. Because all messages in one queue share
 * one TTL, the head always expires first: no head-of-line blocking. 39
 * levels reach 2^39 ms (about 17 years); RabbitMQ refuses a queue TTL of 2^39.
 */
export class TtlLevelsTopology implements DelayTopology {
  readonly name = 'ttl-levels';
  readonly maxDelayMs: number;
  private readonly deliver: string;

  constructor(
    private readonly prefix: string,
    private readonly levels = 39,
  ) {
    this.deliver = `${prefix}.delay.deliver`;
    this.maxDelayMs = 2 ** levels - 1;
  }

  workQueue(topic: string): string {
    return workQueueName(this.prefix, topic);
  }

  private level(l: number): string {
    return `${this.prefix}.delay.l${String(l).padStart(2, '0')}`;
  }

  async declare(channel: Channel): Promise<void> {
    const top = this.levels - 1;
    await channel.assertExchange(this.deliver, 'topic', { durable: true });
    for (let l = top; l >= 0; l--) {
      const next = l === 0 ? this.deliver : this.level(l - 1);
      const skip = '*.'.repeat(top - l);
      await channel.assertExchange(this.level(l), 'topic', { durable: true });
      await channel.assertQueue(this.level(l), { durable: true, messageTtl: 2 ** l, deadLetterExchange: next });
      await channel.bindQueue(this.level(l), this.level(l), `${skip}1.#`);
      if (l > 0) await channel.assertExchange(next, 'topic', { durable: true });
      await channel.bindExchange(next, this.level(l), `${skip}0.#`);
    }
  }

  /** The last word of the routing key is the topic: the deliver exchange sends it to that topic's queue. */
  async declareTopic(channel: Channel, topic: string): Promise<void> {
    await channel.assertQueue(this.workQueue(topic), { durable: true });
    await channel.bindQueue(this.workQueue(topic), this.deliver, `#.${topic}`);
  }

  /**
   * Routes through the levels of the delay's set bits, starting at the
   * highest (the levels above would only pass it along). Each level is one
   * dead-letter hop, and on RabbitMQ each hop costs tens of milliseconds, so
   * the adapter asks for `coarse` delays: only the highest bit, one hop, and
   * the consumer waits out the rest.
   */
  route(delayMs: number, topic: string, { coarse = false }: { coarse?: boolean } = {}) {
    const exact = Math.min(this.maxDelayMs, Math.max(0, Math.round(delayMs)));
    const highest = exact === 0 ? -1 : Math.floor(Math.log2(exact));
    const delay = coarse && highest >= 0 ? 2 ** highest : exact;
    const bits = delay.toString(2).padStart(this.levels, '0');
    const routingKey = `${bits.split('').join('.')}.${topic}`;
    return { exchange: highest < 0 ? this.deliver : this.level(highest), routingKey };
  }

  names(topics: readonly string[]) {
    const levels = Array.from({ length: this.levels }, (_, l) => this.level(l));
    return { exchanges: [...levels, this.deliver], queues: [...levels, ...topics.map((t) => this.workQueue(t))] };
  }
}
