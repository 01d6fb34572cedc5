import { connect } from 'amqplib';
import type { Channel, ConfirmChannel, GetMessage, RecoveringChannelModel } from 'amqplib';
import { ReadyTask, TaskQueue } from '../task-queue.port';
import { ChannelSlot } from './channel-slot';
import { Head, mergeHeads } from './merge-heads';
import { OfferedRecently } from './offered-recently';
import { QUEUE_OPTIONS, assertTaskType, before, decodeTask, encodeTask, taskQueueName } from './task-message';
import { Wakeups, within } from './wakeups';

export type TaskQueueLog = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

export interface RabbitMqTaskQueueOptions {
  readonly url: string;
  /** Names every queue: `<prefix>.tasks.<type>`. */
  readonly prefix: string;
  readonly log?: TaskQueueLog;
}

/**
 * An empty poll waits this long before the next, doubling up to POLL_MAX_MS:
 * a task offered by another process is picked up within about POLL_MAX_MS,
 * one offered by this process at once (its offer wakes the sleepers). The
 * price: a waiting take costs about 20 basic.get per second per asked type.
 */
export const POLL_MIN_MS = 2;
export const POLL_MAX_MS = 50;

/** A task fetched and not yet settled: acked or requeued on the channel it came from, never another. */
interface Fetched extends Head {
  readonly channel: Channel;
  readonly message: GetMessage;
}

/**
 * The task queue on RabbitMQ: one durable priority queue per task type,
 * shared by the lease endpoints of every API replica (competing consumers).
 * take() polls with basic.get rather than consuming: a consumer's prefetch
 * would park tasks in a replica that has no worker waiting for them. Fetched
 * messages stay unacknowledged until settle(), so a replica that dies hands
 * its unsettled tasks back to the broker. The connection recovers on its own;
 * channels are reopened on demand and re-declare the queues they knew.
 */
export class RabbitMqTaskQueue implements TaskQueue {
  private connection!: RecoveringChannelModel;
  private readonly publisher: ChannelSlot<ConfirmChannel>;
  private readonly taker: ChannelSlot<Channel>;
  /** Types whose queue this instance declared: declared again on every fresh channel. */
  private readonly declared = new Set<string>();
  /** Unsettled fetched messages by taskId; a list, as a duplicate offer may hand out one task twice. */
  private readonly held = new Map<string, Fetched[]>();
  private readonly offered = new OfferedRecently();
  private readonly wakeups = new Wakeups();
  private closed = false;

  private constructor(private readonly options: RabbitMqTaskQueueOptions) {
    const onError = (error: Error) => this.log('warn', 'RabbitMQ task queue channel error', { error: error.message });
    const prepare = (channel: Channel) => this.redeclare(channel);
    this.publisher = new ChannelSlot(() => this.connection.createConfirmChannel(), prepare, onError);
    this.taker = new ChannelSlot(() => this.connection.createChannel(), prepare, onError);
  }

  static async connect(options: RabbitMqTaskQueueOptions): Promise<RabbitMqTaskQueue> {
    const queue = new RabbitMqTaskQueue(options);
    try {
      await queue.open();
    } catch (error) {
      await queue.close(); // a connection whose channels failed would otherwise stay open
      throw error;
    }
    return queue;
  }

  /** The types this instance declared a queue for: what `deleteQueues` removes for it. */
  get types(): string[] {
    return [...this.declared];
  }

  private async open(): Promise<void> {
    // noDelay: an ack followed by a basic.get is a small write after a small write, which Nagle's
    // algorithm holds for the broker's delayed ACK: measured 40+ ms per take instead of < 1 ms.
    this.connection = await connect(this.options.url, { noDelay: true, recovery: { initialMaxRetries: 3, maxDelay: 10_000 } });
    this.connection.on('disconnect', (err: Error) => {
      if (!this.closed) this.log('warn', 'RabbitMQ connection lost; reconnecting (unsettled tasks go back to their queues)', { error: err?.message });
    });
    // Reopened before the next take needs them, so a take with waitMs 0 finds them ready.
    this.connection.on('connect', () => void this.openChannels().catch(() => undefined));
    this.connection.on('error', (err: Error) => this.log('error', 'RabbitMQ connection error', { error: err.message }));
    this.connection.on('reconnect-failed', (err: Error) => this.log('error', 'RabbitMQ reconnection abandoned', { error: err.message }));
    await this.openChannels();
    this.log('info', 'RabbitMQ task queue ready', { prefix: this.options.prefix });
  }

  private async openChannels(): Promise<void> {
    await Promise.all([this.publisher.get(), this.taker.get()]);
  }

  /**
   * Publishes each new task, persistent, and resolves once the broker
   * confirmed them all (rejects otherwise: the caller offers again). A task
   * already waiting is skipped only if this process offered it (see
   * OfferedRecently): across processes duplicates are possible and harmless.
   */
  async offer(tasks: readonly ReadyTask[]): Promise<void> {
    const fresh = this.offered.unseen(tasks);
    if (fresh.length === 0) return;
    const channel = await this.publisher.get();
    for (const type of new Set(fresh.map((t) => t.type))) await this.declare(channel, type);
    // Oldest first: within a priority the queue is FIFO, and the port hands out the oldest first.
    for (const task of [...fresh].sort(before)) {
      const { content, options } = encodeTask(task);
      channel.sendToQueue(this.queueName(task.type), content, options);
    }
    await channel.waitForConfirms();
    this.offered.remember(fresh);
    this.wakeups.wakeAll();
  }

  /**
   * Polls the asked queues until something comes, `waitMs` passes, `signal`
   * aborts or the queue closes. Across types by priority: see mergeHeads.
   */
  async take(types: readonly string[], max: number, waitMs: number, signal?: AbortSignal): Promise<ReadyTask[]> {
    types.forEach(assertTaskType);
    const deadline = Date.now() + waitMs;
    for (let pause = POLL_MIN_MS; !this.closed && !signal?.aborted; pause = Math.min(2 * pause, POLL_MAX_MS)) {
      const fetched = await this.fetchBest(types, max, deadline, signal);
      if (fetched.length > 0) return this.handOut(fetched, signal);
      const left = deadline - Date.now();
      if (left <= 0) break;
      await this.wakeups.sleep(Math.min(pause, left), signal);
    }
    return [];
  }

  /** Acks the decided tasks and requeues the untried ones, each on the channel it was fetched on. */
  async settle(decided: readonly ReadyTask[], untried: readonly ReadyTask[] = []): Promise<void> {
    for (const task of decided) this.unhold(task, (f) => f.channel.ack(f.message));
    for (const task of untried) this.unhold(task, (f) => f.channel.nack(f.message, false, true));
  }

  /** Ready messages per declared type (those fetched and unsettled are not waiting). */
  async depth(): Promise<Record<string, number>> {
    // A channel of its own: a missing queue (404) closes the channel it was asked on.
    const channel = await this.connection.createChannel();
    channel.on('error', () => undefined);
    try {
      const depth: Record<string, number> = {};
      for (const type of this.declared) {
        const { messageCount } = await channel.checkQueue(this.queueName(type));
        if (messageCount > 0) depth[type] = messageCount;
      }
      return depth;
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  /** Waiting takes answer []; the broker requeues every unsettled task as the connection closes. */
  async close(): Promise<void> {
    this.closed = true;
    this.wakeups.wakeAll();
    this.held.clear();
    await this.connection?.close().catch(() => undefined);
  }

  /** Deletes the queues of a prefix's types: for tests and decommissioning. Their waiting tasks are lost. */
  static async deleteQueues(url: string, prefix: string, types: readonly string[]): Promise<void> {
    const connection = await connect(url);
    try {
      const channel = await connection.createChannel();
      for (const type of types) await channel.deleteQueue(taskQueueName(prefix, type));
    } finally {
      await connection.close();
    }
  }

  /** Up to `max` of the best heads of the asked queues, unacknowledged; [] when empty or the broker is away. */
  private async fetchBest(types: readonly string[], max: number, deadline: number, signal?: AbortSignal): Promise<Fetched[]> {
    const fetched: Fetched[] = [];
    try {
      // Bounded by the deadline: while reconnecting, a channel may be seconds away.
      const channel = await within(this.taker.get(), Math.max(0, deadline - Date.now()), signal);
      if (!channel) return [];
      const { taken, leftover } = await mergeHeads(types, max, (type) => this.fetchOne(channel, type, fetched));
      this.putBack(leftover);
      return taken;
    } catch (error) {
      this.putBack(fetched);
      if (!this.closed && isRefusal(error)) throw error;
      if (!this.closed) this.log('warn', 'RabbitMQ task queue poll failed; polling again', { error: (error as Error).message });
      return [];
    }
  }

  /** The head of one type's queue, or null when it is empty. Unreadable messages are dropped. */
  private async fetchOne(channel: Channel, type: string, fetched: Fetched[]): Promise<Fetched | null> {
    await this.declare(channel, type);
    for (;;) {
      const message = await channel.get(this.queueName(type), { noAck: false });
      if (!message) return null;
      const task = decodeTask(message.content);
      if (task) {
        const head = { task, channel, message };
        fetched.push(head);
        return head;
      }
      this.log('error', 'unreadable task message dropped', { type, content: message.content.toString().slice(0, 200) });
      ignoreClosed(() => channel.ack(message));
    }
  }

  /** Holds the fetched messages until settle; a taker gone meanwhile gets nothing and they go back. */
  private handOut(fetched: readonly Fetched[], signal?: AbortSignal): ReadyTask[] {
    if (this.closed || signal?.aborted) {
      this.putBack(fetched);
      return [];
    }
    for (const f of fetched) {
      this.held.set(f.task.taskId, [...(this.held.get(f.task.taskId) ?? []), f]);
      this.offered.forget(f.task);
    }
    return fetched.map((f) => f.task);
  }

  private unhold(task: ReadyTask, settle: (fetched: Fetched) => void): void {
    const list = this.held.get(task.taskId);
    const fetched = list?.shift();
    if (list?.length === 0) this.held.delete(task.taskId);
    if (fetched) ignoreClosed(() => settle(fetched));
  }

  private putBack(fetched: readonly Fetched[]): void {
    for (const f of fetched) ignoreClosed(() => f.channel.nack(f.message, false, true));
  }

  /** Declares a type's queue on first use: a message sent to a queue that does not exist is dropped by the broker. */
  private async declare(channel: Channel, type: string): Promise<void> {
    if (this.declared.has(type)) return;
    assertTaskType(type);
    await channel.assertQueue(this.queueName(type), QUEUE_OPTIONS);
    this.declared.add(type);
  }

  /** On every fresh channel: a queue deleted meanwhile (or lost with the broker's data) exists again before we use it. */
  private async redeclare(channel: Channel): Promise<void> {
    for (const type of this.declared) await channel.assertQueue(this.queueName(type), QUEUE_OPTIONS);
  }

  private queueName(type: string): string {
    return taskQueueName(this.options.prefix, type);
  }

  private log(level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) {
    this.options.log?.(level, message, fields);
  }
}

/**
 * The broker said no (403 access refused, 406 a queue declared with other
 * arguments): polling again will not help. Anything else (a closed channel or
 * connection, a queue deleted under us) passes once the channel is reopened.
 */
function isRefusal(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 403 || code === 406;
}

/**
 * Acks or nacks, ignoring a channel that closed meanwhile: the broker
 * requeued its unsettled messages itself, and a throw here would fail the
 * lease call for nothing (a requeued task is refused by its stream next time).
 */
function ignoreClosed(operation: () => void): void {
  try {
    operation();
  } catch {
    // channel gone: its messages are back in their queues
  }
}
