import { connect } from 'amqplib';
import type { Channel, ChannelModel, ConfirmChannel, ConsumeMessage, RecoveringChannelModel } from 'amqplib';
import { CallbackDue, callbackKey } from '../../callback-due';
import { CallbackDueHandler, DelayedDelivery } from '../delayed-delivery.port';
import { DelayTopology } from './delay-topology';
import { DelayedExchangeTopology } from './delayed-exchange-topology';
import { hasDelayedExchangePlugin } from './detect-delayed-exchange-plugin';
import { TtlLevelsTopology } from './ttl-levels-topology';

export type DelayMode = 'auto' | 'plugin' | 'ttl-levels';

export interface RabbitMqDeliveryOptions {
  readonly url: string;
  /** Names every exchange and queue: `<prefix>.callbacks`, `<prefix>.delay.l07`, … */
  readonly prefix: string;
  /** auto: the plugin when the broker has it, TTL levels otherwise. */
  readonly mode: DelayMode;
  /** Unacknowledged messages per consumer: those being handled plus those held for their last stretch. */
  readonly prefetch: number;
  /** Handlers running at once; defaults to the prefetch. */
  readonly concurrency?: number;
  readonly redeliveryDelayMs?: number;
  /** Callbacks per AMQP message at most (default 100); see BATCH_SPAN_MS. */
  readonly batchSize?: number;
  readonly log?: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
}

/**
 * Messages due within this window skip the broker's delay and go straight to
 * the work queue, where the consumer holds them (unacknowledged, so still the
 * broker's) until their time: in-process timers are precise to the
 * millisecond, TTL hops are not. An arrival earlier than this is delayed again.
 */
const HOLD_WINDOW_MS = 2_000;
/** The scheduler hands messages over this long before they fall due. */
const RELEASE_LEAD_MS = 300;
/**
 * Callbacks due within this span of each other travel in one AMQP message,
 * routed by the earliest; the consumer holds each to its own time. At 5,000
 * callbacks/s one message per callback kept the broker's core busy (its
 * per-message cost: persistence, confirm, delivery, ack) and the full stack
 * seconds behind; a batch pays that cost once.
 */
const BATCH_SPAN_MS = 1_000;

/**
 * Delayed delivery over RabbitMQ. Durable topology declared on every
 * (re)connection, persistent messages, publisher confirms, manual acks and a
 * prefetch window; amqplib's recovery reconnects with backoff and re-runs
 * the set-up, consumers included.
 */
export class RabbitMqDelayedDelivery implements DelayedDelivery {
  readonly durable = true;
  readonly releaseLeadMs = RELEASE_LEAD_MS;
  private connection!: RecoveringChannelModel;
  private readonly held = new Set<NodeJS.Timeout>();
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private publisher: ConfirmChannel | null = null;
  private publisherReady!: Promise<ConfirmChannel>;
  private resolvePublisher!: (channel: ConfirmChannel) => void;
  private handler: CallbackDueHandler | null = null;
  private model: ChannelModel | null = null;
  private closed = false;
  private readonly failures = new Map<string, number>();

  private constructor(
    private readonly options: RabbitMqDeliveryOptions,
    readonly topology: DelayTopology,
  ) {
    this.resetPublisher();
  }

  static async connect(options: RabbitMqDeliveryOptions): Promise<RabbitMqDelayedDelivery> {
    const usePlugin =
      options.mode === 'plugin' || (options.mode === 'auto' && (await hasDelayedExchangePlugin(options.url, options.prefix)));
    const topology = usePlugin ? new DelayedExchangeTopology(options.prefix) : new TtlLevelsTopology(options.prefix);
    const delivery = new RabbitMqDelayedDelivery(options, topology);
    await delivery.open();
    return delivery;
  }

  private async open(): Promise<void> {
    this.connection = await connect(this.options.url, {
      recovery: {
        initialMaxRetries: 3,
        maxDelay: 10_000,
        setup: async (model: ChannelModel) => this.setup(model),
      },
    });
    this.connection.on('disconnect', (err: Error) => {
      this.resetPublisher();
      this.model = null;
      if (!this.closed) this.log('warn', 'RabbitMQ connection lost; reconnecting', { error: err?.message });
    });
    this.connection.on('error', (err: Error) => this.log('error', 'RabbitMQ connection error', { error: err.message }));
    this.log('info', `RabbitMQ delayed delivery ready (${this.topology.name})`, { workQueue: this.topology.workQueue });
  }

  /** Runs after every (re)connection: channels do not survive a reconnect. */
  private async setup(model: ChannelModel): Promise<void> {
    const channel = await model.createConfirmChannel();
    channel.on('error', (err: Error) => this.log('error', 'RabbitMQ publisher channel error', { error: err.message }));
    await this.topology.declare(channel);
    this.model = model;
    if (this.handler) await this.startConsumer(model, this.handler);
    this.publisher = channel;
    this.resolvePublisher(channel);
  }

  private resetPublisher(): void {
    this.publisher = null;
    this.publisherReady = new Promise((resolve) => (this.resolvePublisher = resolve));
  }

  async schedule(messages: readonly CallbackDue[]): Promise<void> {
    if (messages.length === 0) return;
    const channel = await this.publisherReady;
    const now = Date.now();
    for (const batch of batches(messages, this.options.batchSize ?? 100)) this.publish(channel, batch, batch[0].dueAt - now);
    // Resolves once the broker has every message on disk; rejects on a nack or a lost channel.
    await channel.waitForConfirms();
  }

  /** One AMQP message: a JSON array of callbacks, routed by the first (earliest). */
  private publish(channel: Channel, batch: readonly CallbackDue[], delayMs: number): void {
    const { exchange, routingKey, headers } = this.topology.route(delayMs <= HOLD_WINDOW_MS ? 0 : delayMs, { coarse: true });
    channel.publish(exchange, routingKey, Buffer.from(JSON.stringify(batch)), {
      persistent: true,
      contentType: 'application/json',
      messageId: batch.length === 1 ? callbackKey(batch[0]) : `${callbackKey(batch[0])}+${batch.length - 1}`,
      headers,
    });
  }

  async consume(handler: CallbackDueHandler): Promise<void> {
    this.handler = handler;
    if (this.model) await this.startConsumer(this.model, handler);
  }

  private async startConsumer(model: ChannelModel, handler: CallbackDueHandler): Promise<void> {
    const channel = await model.createChannel();
    channel.on('error', (err: Error) => this.log('error', 'RabbitMQ consumer channel error', { error: err.message }));
    await channel.prefetch(this.options.prefetch);
    await channel.consume(this.topology.workQueue, (msg) => msg && void this.onMessage(channel, msg, handler), { noAck: false });
  }

  /** Acks the AMQP message once every callback in it was handled or re-published for later. */
  private async onMessage(channel: Channel, msg: ConsumeMessage, handler: CallbackDueHandler): Promise<void> {
    let batch: CallbackDue[];
    try {
      const parsed = JSON.parse(msg.content.toString());
      batch = Array.isArray(parsed) ? parsed : [parsed]; // a single object: published before batching
    } catch {
      this.log('error', 'unreadable message dropped', { content: msg.content.toString().slice(0, 200) });
      return settle(() => channel.ack(msg));
    }
    const settled = await Promise.all(batch.map((message) => this.deliver(message, handler)));
    if (this.closed) return; // unacknowledged: the broker hands it to another consumer; handled ones are dropped there as duplicates
    // A re-publish failed: the broker redelivers the whole message.
    settle(() => (settled.every(Boolean) ? channel.ack(msg) : channel.nack(msg, false, true)));
  }

  /** Holds one callback until its time and runs the handler; false when it could not be settled. */
  private async deliver(message: CallbackDue, handler: CallbackDueHandler): Promise<boolean> {
    let early = message.dueAt - Date.now();
    if (early > HOLD_WINDOW_MS) return this.delayAgain(message, early); // a coarse delay or a long one: another round
    // setTimeout may wake a millisecond early: never hand a message over before its time.
    while (early > 0 && !this.closed) {
      await this.hold(early);
      early = message.dueAt - Date.now();
    }
    if (this.closed) return false;
    await this.slot();
    try {
      await handler(message);
      this.failures.delete(callbackKey(message));
      return true;
    } catch (error) {
      const failures = (this.failures.get(callbackKey(message)) ?? 0) + 1;
      this.failures.set(callbackKey(message), failures);
      const delay = Math.min(30_000, (this.options.redeliveryDelayMs ?? 1_000) * 2 ** (failures - 1));
      this.log('warn', 'handler failed; message delayed for redelivery', { key: callbackKey(message), delay, error: String(error) });
      return this.delayAgain(message, delay);
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }

  private hold(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => (this.held.delete(timer), resolve()), ms);
      this.held.add(timer);
    });
  }

  /** Waits for a free handler slot: held messages fill the prefetch window, not the handlers. */
  private async slot(): Promise<void> {
    const limit = this.options.concurrency ?? this.options.prefetch;
    if (this.running >= limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
  }

  /** Publishes a copy of one callback through the delay path: never a hot requeue loop. */
  private async delayAgain(message: CallbackDue, delayMs: number): Promise<boolean> {
    try {
      const publisher = await this.publisherReady;
      this.publish(publisher, [message], delayMs);
      await publisher.waitForConfirms();
      return true;
    } catch {
      return false; // not re-published: the original goes back to the broker
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.held.forEach((timer) => clearTimeout(timer));
    this.held.clear();
    await this.connection?.close().catch(() => undefined);
  }

  /** Removes every exchange and queue of a prefix: for tests and decommissioning. */
  static async deleteTopology(url: string, topology: DelayTopology): Promise<void> {
    const connection = await connect(url);
    try {
      const channel = await connection.createChannel();
      const { exchanges, queues } = topology.names();
      for (const queue of queues) await channel.deleteQueue(queue);
      for (const exchange of exchanges) await channel.deleteExchange(exchange);
    } finally {
      await connection.close();
    }
  }

  private log(level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) {
    this.options.log?.(level, message, fields);
  }
}

/**
 * Acks or nacks, ignoring a channel that closed meanwhile (the broker lost the
 * connection): it requeues the message itself, and a throw here would be an
 * unhandled rejection that ends the process.
 */
function settle(operation: () => void): void {
  try {
    operation();
  } catch {
    // channel gone: the broker redelivers; handled callbacks are then dropped as duplicates
  }
}

/** Splits callbacks into AMQP messages: sorted by due time, at most `size` each, spanning at most BATCH_SPAN_MS. */
export function batches(messages: readonly CallbackDue[], size: number): CallbackDue[][] {
  const sorted = [...messages].sort((a, b) => a.dueAt - b.dueAt);
  const result: CallbackDue[][] = [];
  for (const message of sorted) {
    const current = result[result.length - 1];
    if (current && current.length < size && message.dueAt - current[0].dueAt <= BATCH_SPAN_MS) current.push(message);
    else result.push([message]);
  }
  return result;
}
