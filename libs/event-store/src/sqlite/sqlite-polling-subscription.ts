import { EventEmitter } from 'node:events';
import { EventHandler, LogPosition, RecordedEvent, SubscriptionStatus } from '../event-store.port';
import { deliverWithRetry } from '../subscriptions/retrying-delivery';
import { WakeableSleep } from '../subscriptions/wakeable-sleep';

const PAGE = 500;

/**
 * Catch-up subscription over a SQLite log: read a page after the last
 * position, hand it over in order, repeat; when caught up, sleep until this
 * process appends, another process's commit is reported (when `promptly`),
 * or the poll interval passes (other processes' commits otherwise).
 */
export class SqlitePollingSubscription {
  private stopped = false;
  private dirty = false;
  private readonly pause = new WakeableSleep();
  private running: Promise<void> = Promise.resolve();
  private scanned: LogPosition | null = null;
  private readonly onAppended = (streams: readonly string[]) => {
    if (this.reads(streams)) this.onChanged(); // else nothing of ours: the next poll or relevant append wakes it
  };
  /** Any commit that may hold events of ours: this process's, or another's (`elsewhere`: streams unknown). */
  private readonly onChanged = () => {
    this.dirty = true;
    this.pause.wake();
  };

  constructor(
    private readonly readPage: (after: LogPosition | null, limit: number) => { events: RecordedEvent[]; scannedTo: LogPosition | null },
    /** Whether an append to these streams (in this process) can hold events for this subscription. */
    private readonly reads: (streams: readonly string[]) => boolean,
    private readonly appended: EventEmitter,
    private readonly handler: EventHandler,
    private readonly onError: (error: unknown, events: RecordedEvent[]) => void,
    private readonly pollIntervalMs: number,
    /** Woken by other processes' reported commits too (SubscribeOptions.promptly). */
    private readonly promptly: boolean,
  ) {}

  /** Never `failed`: a failing handler is retried, and reading the file is what the service does anyway. */
  get status(): SubscriptionStatus {
    return { state: this.stopped ? 'stopped' : 'running' };
  }

  /** Every row up to here was looked at and, when it matched, handled (see Subscription.scannedTo). */
  get scannedTo(): LogPosition | null {
    return this.scanned;
  }

  start(after: LogPosition | null): void {
    this.scanned = after;
    this.appended.on('appended', this.onAppended);
    if (this.promptly) this.appended.on('elsewhere', this.onChanged);
    this.running = this.run(after);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.appended.off('appended', this.onAppended);
    this.appended.off('elsewhere', this.onChanged);
    this.pause.wake();
    await this.running;
  }

  private async run(after: LogPosition | null): Promise<void> {
    while (!this.stopped) {
      this.dirty = false;
      const { events: page, scannedTo } = this.readPage(after, PAGE);
      if (page.length > 0 && !(await deliverWithRetry(page, this.handler, () => this.stopped, this.onError))) return;
      // Past the rows scanned, matched or not (see SqliteEventStore.readPage).
      after = this.scanned = scannedTo;
      if (page.length < PAGE && !this.dirty) await this.pause.for(this.pollIntervalMs);
    }
  }
}
