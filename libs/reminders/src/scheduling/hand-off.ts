import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, Clock } from '@herald/domain';
import { HeraldConfig } from '@herald/platform';
import { DELAYED_DELIVERY, DelayedDelivery, TIME_INDEX, TimeIndex } from '@herald/scheduling';

const BATCH = 1_000;

/**
 * Moves time-index entries that fall due within the horizon to the
 * transport: claim, publish, mark handed off. Runs on a timer (a quarter of
 * the horizon) and whenever the projector plans something near. Claims keep
 * scheduler replicas from handing the same entry over twice; within one
 * process, runs are single-flight.
 */
@Injectable()
export class HandOff {
  private readonly logger = new Logger('HandOff');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    @Inject(TIME_INDEX) private readonly index: TimeIndex,
    @Inject(DELAYED_DELIVERY) private readonly delivery: DelayedDelivery,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly config: HeraldConfig,
  ) {}

  async start(): Promise<void> {
    if (!this.delivery.durable) {
      // In-process timers died with the last process: everything must be handed over again.
      await this.index.resetHandOffs();
    }
    await this.run();
    const every = Math.max(250, Math.floor(this.config.SCHEDULER_HORIZON_MS / 4));
    this.timer = setInterval(() => void this.run().catch((err) => this.logger.error({ err }, 'hand-off failed')), every);
    this.timer.unref();
    this.logger.log(`pending reminders: ${await this.index.size()}; horizon ${this.config.SCHEDULER_HORIZON_MS} ms`);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  isWithinHorizon(dueAt: number): boolean {
    return dueAt <= this.clock.now().getTime() + this.config.SCHEDULER_HORIZON_MS;
  }

  run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.drain().finally(() => (this.running = null));
    return this.running;
  }

  private async drain(): Promise<void> {
    do {
      this.again = false;
      for (;;) {
        const now = this.clock.now().getTime();
        const due = await this.index.claimDue({
          now,
          until: now + this.config.SCHEDULER_HORIZON_MS,
          limit: BATCH,
          claimTtlMs: this.config.SCHEDULER_CLAIM_TTL_MS,
          staleAfterMs: this.config.SCHEDULER_STALE_HANDOFF_MS,
        });
        if (due.length === 0) break;
        await this.delivery.schedule(due);
        await this.index.markHandedOff(due);
        if (due.length < BATCH) break;
      }
    } while (this.again);
  }
}
