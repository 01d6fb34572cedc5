import { DueEntry, dueEntryId } from '../../due-entry';
import { DeliveryLog, DueEntryHandler } from '../delayed-delivery.port';

/**
 * The due entries of one topic, run by its handler at most `concurrency` at
 * a time. A handler that throws is logged and its entry handed back for a
 * later redelivery, never dropped in silence.
 */
export class TopicQueue {
  // A FIFO read from `head`: Array.shift() is O(n), which showed in profiles with a backlog.
  private ready: DueEntry[] = [];
  private head = 0;
  private inFlight = 0;
  private handler: DueEntryHandler | null = null;
  private concurrency = 1;
  private closed = false;
  private readonly failures = new Map<string, number>();

  constructor(
    private readonly topic: string,
    private readonly redeliver: (entry: DueEntry, failures: number) => void,
    private readonly log: DeliveryLog = () => undefined,
  ) {}

  get waiting(): number {
    return this.ready.length - this.head;
  }

  start(handler: DueEntryHandler, concurrency: number): void {
    if (this.handler) throw new Error(`topic ${this.topic} already has a consumer in this process`);
    this.handler = handler;
    this.concurrency = concurrency;
    this.drain();
  }

  push(entry: DueEntry): void {
    this.ready.push(entry);
    this.drain();
  }

  close(): void {
    this.closed = true;
  }

  private drain(): void {
    while (this.handler && this.head < this.ready.length && this.inFlight < this.concurrency && !this.closed) {
      const entry = this.ready[this.head++];
      this.inFlight++;
      void this.run(this.handler, entry);
    }
    if (this.head === this.ready.length) {
      this.ready = [];
      this.head = 0;
    }
  }

  private async run(handler: DueEntryHandler, entry: DueEntry): Promise<void> {
    const id = dueEntryId(entry);
    try {
      await handler(entry);
      this.failures.delete(id);
    } catch (error) {
      const failures = (this.failures.get(id) ?? 0) + 1;
      this.failures.set(id, failures);
      this.log('warn', 'handler failed; entry delayed for redelivery', { id, failures, error: String(error) });
      if (!this.closed) this.redeliver(entry, failures);
    } finally {
      this.inFlight--;
      this.drain();
    }
  }
}
