import type { Channel } from 'amqplib';

/**
 * How a delay is expressed on the broker. Two implementations:
 * - TtlLevelsTopology: plugin-free, binary levels of TTL queues;
 * - DelayedExchangeTopology: the rabbitmq_delayed_message_exchange plugin.
 * Either ends in one durable work queue per topic, which that topic's consumers share.
 */
export interface DelayTopology {
  readonly name: string;
  /** Longest delay one publish can express; longer ones arrive early and are re-delayed. */
  readonly maxDelayMs: number;
  /** The delay machinery shared by every topic. */
  declare(channel: Channel): Promise<void>;
  /** A topic's work queue and its binding to the delay machinery. */
  declareTopic(channel: Channel, topic: string): Promise<void>;
  workQueue(topic: string): string;
  /**
   * Where to publish a message of `topic` that must wait `delayMs`, and with
   * which headers. `coarse` allows the topology to deliver earlier (never
   * later) when that is cheaper; the consumer holds early arrivals.
   */
  route(delayMs: number, topic: string, options?: { coarse?: boolean }): { exchange: string; routingKey: string; headers?: Record<string, unknown> };
  /** Every exchange and queue it declares for these topics, for tear-down. */
  names(topics: readonly string[]): { exchanges: string[]; queues: string[] };
}

/** `herald.callbacks` for reminder callbacks: the queue name of the versions before topics. */
export const workQueueName = (prefix: string, topic: string) => `${prefix}.${topic}`;
