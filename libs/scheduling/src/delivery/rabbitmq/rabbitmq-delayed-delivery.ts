import { connect } from 'amqplib';
import type { Channel, ChannelModel, ConfirmChannel, RecoveringChannelModel } from 'amqplib';
import { DueEntry, assertTopic, dueEntryId } from '../../due-entry';
import { ConsumeOptions, DeliveryLog, DelayedDelivery, DueEntryHandler } from '../delayed-delivery.port';
import { batches } from './batches';
import { DelayTopology } from './delay-topology';
import { DelayedExchangeTopology } from './delayed-exchange-topology';
import { hasDelayedExchangePlugin } from './detect-delayed-exchange-plugin';
import { HOLD_WINDOW_MS, TopicConsumer } from './topic-consumer';
import { TtlLevelsTopology } from './ttl-levels-topology';

export type DelayMode = 'auto' | 'plugin' | 'ttl-levels';

export interface RabbitMqDeliveryOptions {
  readonly url: string;
  /** Names every exchange and queue: `<prefix>.<topic>`, `<prefix>.delay.l07`, … */
  readonly prefix: string;
  /** auto: the plugin when the broker has it, TTL levels otherwise. */
  readonly mode: DelayMode;
  /** Unacknowledged messages per topic consumer: those being handled plus those held for their last stretch. */
  readonly prefetch: number;
  /** Handlers running at once per topic, unless consume() says otherwise; defaults to the prefetch. */
  readonly concurrency?: number;
  readonly redeliveryDelayMs?: number;
  /** Entries per AMQP message at most (default 100); see BATCH_SPAN_MS. */
  readonly batchSize?: number;
  readonly log?: DeliveryLog;
}

/** The scheduler hands messages over this long before they fall due. */
const RELEASE_LEAD_MS = 300;

interface Registration {
  readonly topic: string;
  readonly handler: DueEntryHandler;
  readonly concurrency: number;
  consumer: TopicConsumer | null;
}

/**
 * Delayed delivery over RabbitMQ: one durable work queue per topic, shared
 * by that topic's consumers in every process. Durable topology declared on
 * every (re)connection, persistent messages, publisher confirms, manual acks
 * and a prefetch window; amqplib's recovery reconnects with backoff and
 * re-runs the set-up, consumers included.
 */
export class RabbitMqDelayedDelivery implements DelayedDelivery {
  readonly durable = true;
  readonly releaseLeadMs = RELEASE_LEAD_MS;
  private connection!: RecoveringChannelModel;
  private publisherReady!: Promise<ConfirmChannel>;
  private resolvePublisher!: (channel: ConfirmChannel) => void;
  private model: ChannelModel | null = null;
  private closed = false;
  /** Topics whose queue this connection declared: re-declared after a reconnect. */
  private readonly declared = new Set<string>();
  private readonly registrations = new Map<string, Registration>();

  private constructor(
    private readonly options: RabbitMqDeliveryOptions,
    readonly topology: DelayTopology,
  ) {
    this.resetPublisher();
  }

  static async connect(options: RabbitMqDeliveryOptions): Promise<RabbitMqDelayedDelivery> {
    const usePlugin = options.mode === 'plugin' || (options.mode === 'auto' && (await hasDelayedExchangePlugin(options.url, options.prefix)));
    const topology = usePlugin ? new DelayedExchangeTopology(options.prefix) : new TtlLevelsTopology(options.prefix);
    const delivery = new RabbitMqDelayedDelivery(options, topology);
    await delivery.open();
    return delivery;
  }

  /** The topics this instance declared or consumed: what `deleteTopology` removes for it. */
  get topics(): string[] {
    return [...new Set([...this.declared, ...this.registrations.keys()])];
  }

  private async open(): Promise<void> {
    this.connection = await connect(this.options.url, {
      recovery: { initialMaxRetries: 3, maxDelay: 10_000, setup: async (model: ChannelModel) => this.setup(model) },
    });
    this.connection.on('disconnect', (err: Error) => {
      this.resetPublisher();
      this.model = null;
      if (!this.closed) this.log('warn', 'RabbitMQ connection lost; reconnecting', { error: err?.message });
    });
    this.connection.on('error', (err: Error) => this.log('error', 'RabbitMQ connection error', { error: err.message }));
    this.log('info', `RabbitMQ delayed delivery ready (${this.topology.name})`, { prefix: this.options.prefix });
  }

  /** Runs after every (re)connection: channels do not survive a reconnect. */
  private async setup(model: ChannelModel): Promise<void> {
    const channel = await model.createConfirmChannel();
    channel.on('error', (err: Error) => this.log('error', 'RabbitMQ publisher channel error', { error: err.message }));
    await this.topology.declare(channel);
    for (const topic of this.topics) await this.topology.declareTopic(channel, topic);
    this.model = model;
    for (const registration of this.registrations.values()) await this.startConsumer(model, registration);
    this.resolvePublisher(channel);
  }

  private resetPublisher(): void {
    this.publisherReady = new Promise((resolve) => (this.resolvePublisher = resolve));
  }

  async schedule(entries: readonly DueEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const channel = await this.publisherReady;
    await this.declareTopics(channel, entries);
    const now = Date.now();
    for (const batch of batches(entries, this.options.batchSize ?? 100)) this.publish(channel, batch, batch[0].dueAt - now);
    // Resolves once the broker has every message on disk; rejects on a nack or a lost channel.
    await channel.waitForConfirms();
  }

  /** A message to a topic nobody declared yet would be dropped by the exchange: declare its queue first. */
  private async declareTopics(channel: Channel, entries: readonly DueEntry[]): Promise<void> {
    for (const topic of new Set(entries.map((e) => e.topic))) {
      if (this.declared.has(topic)) continue;
      assertTopic(topic);
      await this.topology.declareTopic(channel, topic);
      this.declared.add(topic);
    }
  }

  /** One AMQP message: a JSON array of one topic's entries, routed by the first (earliest). */
  private publish(channel: Channel, batch: readonly DueEntry[], delayMs: number): void {
    const topic = batch[0].topic;
    const { exchange, routingKey, headers } = this.topology.route(delayMs <= HOLD_WINDOW_MS ? 0 : delayMs, topic, { coarse: true });
    channel.publish(exchange, routingKey, Buffer.from(JSON.stringify(batch)), {
      persistent: true,
      contentType: 'application/json',
      messageId: batch.length === 1 ? dueEntryId(batch[0]) : `${dueEntryId(batch[0])}+${batch.length - 1}`,
      headers,
    });
  }

  async consume(topic: string, handler: DueEntryHandler, options: ConsumeOptions = {}): Promise<void> {
    assertTopic(topic);
    if (this.registrations.has(topic)) throw new Error(`topic ${topic} already has a consumer in this process`);
    const registration: Registration = {
      topic,
      handler,
      concurrency: options.concurrency ?? this.options.concurrency ?? this.options.prefetch,
      consumer: null,
    };
    this.registrations.set(topic, registration);
    if (this.model) await this.startConsumer(this.model, registration);
  }

  private async startConsumer(model: ChannelModel, registration: Registration): Promise<void> {
    registration.consumer?.close();
    const channel = await model.createChannel();
    channel.on('error', (err: Error) => this.log('error', 'RabbitMQ consumer channel error', { topic: registration.topic, error: err.message }));
    await this.topology.declareTopic(channel, registration.topic);
    await channel.prefetch(this.options.prefetch);
    const consumer = new TopicConsumer({
      topic: registration.topic,
      handler: registration.handler,
      concurrency: registration.concurrency,
      redeliveryDelayMs: this.options.redeliveryDelayMs ?? 1_000,
      delayAgain: (entry, delayMs) => this.delayAgain(entry, delayMs),
      log: (level, message, fields) => this.log(level, message, fields),
    });
    registration.consumer = consumer;
    await channel.consume(this.topology.workQueue(registration.topic), (msg) => msg && void consumer.onMessage(channel, msg), { noAck: false });
  }

  /** Publishes a copy of one entry through the delay path: never a hot requeue loop. */
  private async delayAgain(entry: DueEntry, delayMs: number): Promise<boolean> {
    try {
      const publisher = await this.publisherReady;
      this.publish(publisher, [entry], delayMs);
      await publisher.waitForConfirms();
      return true;
    } catch {
      return false; // not re-published: the original goes back to the broker
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.registrations.forEach((r) => r.consumer?.close());
    await this.connection?.close().catch(() => undefined);
  }

  /** Removes every exchange and queue of a prefix's topics: for tests, benchmarks and decommissioning. */
  static async deleteTopology(url: string, topology: DelayTopology, topics: readonly string[]): Promise<void> {
    const connection = await connect(url);
    try {
      const channel = await connection.createChannel();
      const { exchanges, queues } = topology.names(topics);
      for (const queue of queues) await channel.deleteQueue(queue);
      for (const exchange of exchanges) await channel.deleteExchange(exchange);
    } finally {
      await connection.close();
    }
  }

  /**
   * Removes what a prefix may have declared in either delay mode, for these
   * topics: deleting a queue or exchange that does not exist is a no-op on RabbitMQ.
   */
  static async deletePrefix(url: string, prefix: string, topics: readonly string[]): Promise<void> {
    for (const topology of [new TtlLevelsTopology(prefix), new DelayedExchangeTopology(prefix)])
      await RabbitMqDelayedDelivery.deleteTopology(url, topology, topics);
  }

  private log(level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) {
    this.options.log?.(level, message, fields);
  }
}
