import { Heap } from 'heap-js';
import { CallbackDue, callbackKey } from '../../callback-due';
import { CallbackDueHandler, DelayedDelivery } from '../delayed-delivery.port';

export interface InProcessDeliveryOptions {
  /** Handlers running at once; further due messages wait their turn. */
  readonly concurrency: number;
  /** First redelivery delay after a handler throws; doubles up to 30 s. */
  readonly redeliveryDelayMs?: number;
  readonly now?: () => number;
}

// setTimeout cannot wait longer than 2^31-1 ms; longer waits re-arm.
const MAX_TIMEOUT = 2 ** 31 - 1;

/**
 * Precise in-process timers: one min-heap by due time and one setTimeout
 * armed for the earliest entry, so cost is O(log n) per message and the
 * lateness is the event loop's, not a polling interval's. Not durable: the
 * scheduler re-hands its time index after a restart.
 */
export class InProcessDelayedDelivery implements DelayedDelivery {
  readonly durable = false;
  readonly releaseLeadMs = null; // its timers are precise whatever the delay
  private readonly heap = new Heap<CallbackDue>((a, b) => a.dueAt - b.dueAt);
  private readonly scheduled = new Set<string>();
  // A FIFO read from `readyHead`: Array.shift() is O(n), which showed in profiles with a backlog.
  private ready: CallbackDue[] = [];
  private readyHead = 0;
  private readonly failures = new Map<string, number>();
  private handler: CallbackDueHandler | null = null;
  private timer: NodeJS.Timeout | null = null;
  private armedFor = Infinity;
  private inFlight = 0;
  private closed = false;
  private readonly now: () => number;

  constructor(private readonly options: InProcessDeliveryOptions) {
    this.now = options.now ?? Date.now;
  }

  async schedule(messages: readonly CallbackDue[]): Promise<void> {
    for (const message of messages) {
      const key = callbackKey(message);
      if (this.scheduled.has(key)) continue; // already waiting: handing it over twice would fire it twice
      this.scheduled.add(key);
      this.heap.push(message);
    }
    this.arm();
  }

  async consume(handler: CallbackDueHandler): Promise<void> {
    this.handler = handler;
    this.arm();
  }

  /** Messages waiting for their time or a free handler slot. */
  get pending(): number {
    return this.heap.size() + this.ready.length - this.readyHead;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private arm(): void {
    const next = this.heap.peek();
    if (!next || !this.handler || this.closed) return;
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
      const message = this.heap.pop()!;
      this.scheduled.delete(callbackKey(message));
      this.ready.push(message);
    }
    this.drain();
    this.arm();
  }

  private drain(): void {
    while (this.readyHead < this.ready.length && this.inFlight < this.options.concurrency && !this.closed) {
      const message = this.ready[this.readyHead++];
      this.inFlight++;
      void this.run(message);
    }
    if (this.readyHead === this.ready.length) {
      this.ready = [];
      this.readyHead = 0;
    }
  }

  private async run(message: CallbackDue): Promise<void> {
    const key = callbackKey(message);
    try {
      await this.handler!(message);
      this.failures.delete(key);
    } catch {
      const failures = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, failures);
      const delay = Math.min(30_000, (this.options.redeliveryDelayMs ?? 1_000) * 2 ** (failures - 1));
      void this.schedule([{ ...message, dueAt: this.now() + delay }]);
    } finally {
      this.inFlight--;
      this.drain();
    }
  }
}
