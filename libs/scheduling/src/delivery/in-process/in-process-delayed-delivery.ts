import { Heap } from 'heap-js';
import { DueEntry, assertTopic, dueEntryId } from '../../due-entry';
import { ConsumeOptions, DeliveryLog, DelayedDelivery, DueEntryHandler } from '../delayed-delivery.port';
import { TopicQueue } from './topic-queue';

export interface InProcessDeliveryOptions {
  /** Handlers running at once per topic, unless consume() says otherwise. */
  readonly concurrency: number;
  /** First redelivery delay after a handler throws; doubles up to 30 s. */
  readonly redeliveryDelayMs?: number;
  readonly now?: () => number;
  readonly log?: DeliveryLog;
}

// setTimeout cannot wait longer than 2^31-1 ms; longer waits re-arm.
const MAX_TIMEOUT = 2 ** 31 - 1;

/**
 * Precise in-process timers: one min-heap by due time and one setTimeout
 * armed for the earliest entry, so cost is O(log n) per entry and the
 * lateness is the event loop's, not a polling interval's. Due entries go to
 * their topic's queue, which runs its handler with bounded concurrency. Not
 * durable: the scheduler re-hands its time index after a restart.
 */
export class InProcessDelayedDelivery implements DelayedDelivery {
  readonly durable = false;
  readonly releaseLeadMs = null; // its timers are precise whatever the delay
  private readonly heap = new Heap<DueEntry>((a, b) => a.dueAt - b.dueAt);
  private readonly scheduled = new Set<string>();
  private readonly topics = new Map<string, TopicQueue>();
  private timer: NodeJS.Timeout | null = null;
  private armedFor = Infinity;
  private closed = false;
  private readonly now: () => number;

  constructor(private readonly options: InProcessDeliveryOptions) {
    this.now = options.now ?? Date.now;
  }

  async schedule(entries: readonly DueEntry[]): Promise<void> {
    const now = this.now();
    const due: DueEntry[] = [];
    for (const entry of entries) {
      // Due already (a task start, a retry now): straight to its topic, not through a timer (a setTimeout waits at least 1 ms).
      if (entry.dueAt <= now && !this.closed) {
        due.push(entry);
        continue;
      }
      const id = dueEntryId(entry);
      if (this.scheduled.has(id)) continue; // already waiting: handing it over twice would fire it twice
      this.scheduled.add(id);
      this.heap.push(entry);
    }
    due.sort((a, b) => a.dueAt - b.dueAt).forEach((entry) => this.queue(entry.topic).push(entry));
    this.arm();
  }

  async consume(topic: string, handler: DueEntryHandler, options: ConsumeOptions = {}): Promise<void> {
    assertTopic(topic);
    this.queue(topic).start(handler, options.concurrency ?? this.options.concurrency);
  }

  /** Entries waiting for their time or a free handler slot. */
  get pending(): number {
    let ready = 0;
    for (const queue of this.topics.values()) ready += queue.waiting;
    return this.heap.size() + ready;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.topics.forEach((queue) => queue.close());
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Entries due before their topic has a consumer wait in its queue until one starts. */
  private queue(topic: string): TopicQueue {
    let queue = this.topics.get(topic);
    if (!queue) {
      queue = new TopicQueue(topic, (entry, failures) => this.redeliver(entry, failures), this.options.log);
      this.topics.set(topic, queue);
    }
    return queue;
  }

  private arm(): void {
    const next = this.heap.peek();
    if (!next || this.closed) return;
    if (this.timer && next.dueAt >= this.armedFor) return;
    if (this.timer) clearTimeout(this.timer);
    this.armedFor = next.dueAt;
    this.timer = setTimeout(() => this.fire(), Math.min(MAX_TIMEOUT, Math.max(0, next.dueAt - this.now())));
  }

  private fire(): void {
    this.timer = null;
    this.armedFor = Infinity;
    const now = this.now();
    // Node may wake a millisecond early; anything not yet due waits for the re-arm.
    while (this.heap.size() > 0 && this.heap.peek()!.dueAt <= now) {
      const entry = this.heap.pop()!;
      this.scheduled.delete(dueEntryId(entry));
      this.queue(entry.topic).push(entry);
    }
    this.arm();
  }

  private redeliver(entry: DueEntry, failures: number): void {
    const delay = Math.min(30_000, (this.options.redeliveryDelayMs ?? 1_000) * 2 ** (failures - 1));
    void this.schedule([{ ...entry, dueAt: this.now() + delay }]);
  }
}
