import type { Channel } from 'amqplib';

/**
 * How a delay is expressed on the broker. Two implementations:
 * - TtlLevelsTopology: plugin-free, binary levels of TTL queues;
 * - DelayedExchangeTopology: the rabbitmq_delayed_message_exchange plugin.
 * Both end in the same durable work queue the workers consume.
 */
export interface DelayTopology {
  readonly name: string;
  readonly workQueue: string;
  /** Longest delay one publish can express; longer ones arrive early and are re-delayed. */
  readonly maxDelayMs: number;
  declare(channel: Channel): Promise<void>;
  /**
   * Where to publish a message that must wait `delayMs`, and with which
   * headers. `coarse` allows the topology to deliver earlier (never later)
   * when that is cheaper; the consumer holds early arrivals.
   */
  route(delayMs: number, options?: { coarse?: boolean }): { exchange: string; routingKey: string; headers?: Record<string, unknown> };
  /** Every exchange and queue it declares, for tear-down. */
  names(): { exchanges: string[]; queues: string[] };
}

export const workQueueName = (prefix: string) => `${prefix}.callbacks`;
