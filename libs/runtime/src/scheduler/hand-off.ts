import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Heap } from 'heap-js';
import { CLOCK, Clock } from '@herald/kernel';
import { HeraldConfig } from '@herald/platform';
import { DELAYED_DELIVERY, DelayedDelivery, DueEntry, TIME_INDEX, TimeIndex } from '@herald/scheduling';

const BATCH = 1_000;
const RETRY_RELEASE_MS = 1_000;

/**
 * Moves time-index entries that fall due soon to the transport: claim,
 * publish, mark handed off. Runs on a timer and whenever the projector plans
 * something near. Claims keep scheduler replicas from handing the same entry
 * over twice; within one process, runs are single-flight.
 *
 * Entries of every topic share it: reminder callbacks, task starts and lease
 * expiries alike.
 *
 * A transport with a release lead (RabbitMQ) gets each entry only that long
 * before it falls due: until then the entry waits here, claimed, in a
 * min-heap. Holding must end before the claim lapses, so such transports
 * claim only up to half the claim TTL ahead.
 */
@Injectable()
export class HandOff implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('HandOff');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private againWithStale = false;
  private readonly held = new Heap<DueEntry>((a, b) => a.dueAt - b.dueAt);
  private releaseTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    @Inject(TIME_INDEX) private readonly index: TimeIndex,
    @Inject(DELAYED_DELIVERY) private readonly delivery: DelayedDelivery,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly config: HeraldConfig,
  ) {}

  /** How far ahead entries are claimed. */
  private get window(): number {
    const horizon = this.config.SCHEDULER_HORIZON_MS;
    return this.delivery.releaseLeadMs === null ? horizon : Math.min(horizon, Math.floor(this.config.SCHEDULER_CLAIM_TTL_MS / 2));
  }

  /** Before any projection runs (they nudge this): hand-off marks of a transport that kept nothing are void. */
  async onModuleInit(): Promise<void> {
    if (!this.delivery.durable) {
      // In-process timers died with the last process: everything must be handed over again.
      await this.index.resetHandOffs();
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.run(true);
    const every = Math.max(250, Math.floor(this.window / 4));
    this.timer = setInterval(() => void this.run(true).catch((err: unknown) => this.logger.error({ err }, 'hand-off failed')), every);
    this.timer.unref();
    this.logger.log(`pending due entries: ${await this.index.size()}; claiming ${this.window} ms ahead every ${every} ms`);
  }

  onModuleDestroy(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.releaseTimer) clearTimeout(this.releaseTimer);
    this.timer = this.releaseTimer = null;
    // Entries still held keep their claims, which lapse: another replica (or this one restarted) takes them over.
    this.held.clear();
  }

  /** True when an entry due then would be claimed now: worth a run straight away. */
  isWithinWindow(dueAt: number): boolean {
    return dueAt <= this.clock.now().getTime() + this.window;
  }

  /** Projections call this with what they just put in the index: a run starts at once if any of it is near. */
  nudge(entries: readonly DueEntry[]): void {
    if (entries.some((e) => this.isWithinWindow(e.dueAt))) void this.run().catch((err: unknown) => this.logger.error({ err }, 'hand-off failed'));
  }

  /**
   * One single-flight pass. `withStale`: also take back hand-offs gone stale
   * (SCHEDULER_STALE_HANDOFF_MS), which means looking at every handed-off entry
   * in the window — the start-up and periodic runs do; a nudge, on every entry
   * a projection plans near, does not (with 10,000 reminders handed off, that
   * look made each define cost a scan of all of them).
   */
  run(withStale = false): Promise<void> {
    if (this.running) {
      this.again = true;
      this.againWithStale ||= withStale;
      return this.running;
    }
    this.running = this.drain(withStale).finally(() => (this.running = null));
    return this.running;
  }

  private async drain(withStale: boolean): Promise<void> {
    do {
      this.again = false;
      for (;;) {
        const now = this.clock.now().getTime();
        const claimed = await this.index.claimDue({
          now,
          until: now + this.window,
          limit: BATCH,
          claimTtlMs: this.config.SCHEDULER_CLAIM_TTL_MS,
          staleAfterMs: withStale ? this.config.SCHEDULER_STALE_HANDOFF_MS : undefined,
        });
        if (claimed.length === 0) break;
        await this.handOver(claimed);
        if (claimed.length < BATCH) break;
        // Synchronous stores and timers never yield on their own: let requests and subscriptions in between batches.
        await new Promise((resolve) => setImmediate(resolve));
      }
      withStale = this.againWithStale;
      this.againWithStale = false;
    } while (this.again);
  }

  private async handOver(claimed: DueEntry[]): Promise<void> {
    const lead = this.delivery.releaseLeadMs;
    if (lead === null) return this.release(claimed);
    const releaseBy = this.clock.now().getTime() + lead;
    const now = claimed.filter((e) => e.dueAt <= releaseBy);
    claimed.filter((e) => e.dueAt > releaseBy).forEach((e) => this.held.push(e));
    if (now.length > 0) await this.release(now);
    this.armRelease();
  }

  private async release(entries: DueEntry[]): Promise<void> {
    await this.delivery.schedule(entries);
    await this.index.markHandedOff(entries, this.clock.now().getTime());
  }

  private armRelease(): void {
    const next = this.held.peek();
    if (!next || this.stopped) return;
    if (this.releaseTimer) clearTimeout(this.releaseTimer);
    const wait = Math.max(0, next.dueAt - this.delivery.releaseLeadMs! - this.clock.now().getTime());
    this.releaseTimer = setTimeout(() => void this.releaseHeld(), wait);
  }

  private async releaseHeld(): Promise<void> {
    this.releaseTimer = null;
    const releaseBy = this.clock.now().getTime() + this.delivery.releaseLeadMs!;
    const due: DueEntry[] = [];
    while (this.held.size() > 0 && this.held.peek()!.dueAt <= releaseBy) due.push(this.held.pop()!);
    try {
      if (due.length > 0) await this.release(due);
    } catch (err) {
      this.logger.error({ err, entries: due.length }, 'hand-over to the transport failed; retrying');
      due.forEach((e) => this.held.push(e)); // back in line
      if (!this.stopped) this.releaseTimer = setTimeout(() => void this.releaseHeld(), RETRY_RELEASE_MS);
      return;
    }
    this.armRelease();
  }
}
