import type { Channel, ConsumeMessage } from 'amqplib';
import { DueEntry, dueEntryId } from '../../due-entry';
import { DeliveryLog, DueEntryHandler } from '../delayed-delivery.port';
import { parseEntries } from './batches';

/**
 * Messages due within this window skip the broker's delay and go straight to
 * the work queue, where the consumer holds them (unacknowledged, so still the
 * broker's) until their time: in-process timers are precise to the
 * millisecond, TTL hops are not. An arrival earlier than this is delayed again.
 */
export const HOLD_WINDOW_MS = 2_000;

export interface TopicConsumerOptions {
  readonly topic: string;
  readonly handler: DueEntryHandler;
  /** Handlers running at once; held messages fill the prefetch window, not these slots. */
  readonly concurrency: number;
  readonly redeliveryDelayMs: number;
  /** Publishes one entry again through the delay path; false when that failed. */
  readonly delayAgain: (entry: DueEntry, delayMs: number) => Promise<boolean>;
  readonly log: DeliveryLog;
}

/**
 * The consumer of one topic's work queue in this process: holds each entry
 * of a message to its own time, runs the handler in a free slot, and acks the
 * message once every entry in it was handled or re-published for later.
 */
export class TopicConsumer {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly held = new Set<NodeJS.Timeout>();
  private readonly failures = new Map<string, number>();
  private closed = false;

  constructor(private readonly options: TopicConsumerOptions) {}

  async onMessage(channel: Channel, msg: ConsumeMessage): Promise<void> {
    let entries: DueEntry[];
    try {
      entries = parseEntries(msg.content);
    } catch {
      this.options.log('error', 'unreadable message dropped', { topic: this.options.topic, content: msg.content.toString().slice(0, 200) });
      return settle(() => channel.ack(msg));
    }
    const settled = await Promise.all(entries.map((entry) => this.deliver(entry)));
    if (this.closed) return; // unacknowledged: the broker hands it to another consumer; handled ones are dropped there as duplicates
    // A re-publish failed: the broker redelivers the whole message.
    settle(() => (settled.every(Boolean) ? channel.ack(msg) : channel.nack(msg, false, true)));
  }

  close(): void {
    this.closed = true;
    this.held.forEach((timer) => clearTimeout(timer));
    this.held.clear();
  }

  /** Holds one entry until its time and runs the handler; false when it could not be settled. */
  private async deliver(entry: DueEntry): Promise<boolean> {
    let early = entry.dueAt - Date.now();
    if (early > HOLD_WINDOW_MS) return this.options.delayAgain(entry, early); // a coarse delay or a long one: another round
    // setTimeout may wake a millisecond early: never hand an entry over before its time.
    while (early > 0 && !this.closed) {
      await this.hold(early);
      early = entry.dueAt - Date.now();
    }
    if (this.closed) return false;
    await this.slot();
    try {
      await this.options.handler(entry);
      this.failures.delete(dueEntryId(entry));
      return true;
    } catch (error) {
      const id = dueEntryId(entry);
      const failures = (this.failures.get(id) ?? 0) + 1;
      this.failures.set(id, failures);
      const delay = Math.min(30_000, this.options.redeliveryDelayMs * 2 ** (failures - 1));
      this.options.log('warn', 'handler failed; entry delayed for redelivery', { id, delay, error: String(error) });
      return this.options.delayAgain(entry, delay);
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

  private async slot(): Promise<void> {
    if (this.running >= this.options.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
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
    // channel gone: the broker redelivers; handled entries are then dropped as duplicates
  }
}
