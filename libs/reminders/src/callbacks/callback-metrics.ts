import { Injectable } from '@nestjs/common';
import { Metrics } from '@herald/platform';

/**
 * What became of a callback POST: `delivered` (2xx; the reminder completed),
 * `retrying` (failed; another attempt is planned), `failed` (failed with no
 * attempts left; the reminder failed), `dropped` (its outcome was not
 * recorded: the reminder changed while it ran, e.g. cancelled, or another
 * worker recorded that attempt first). A refusal by the callback address
 * guard is a failed attempt like any other (retrying, then failed).
 */
export type CallbackOutcomeLabel = 'delivered' | 'retrying' | 'failed' | 'dropped';

/** The outcome label from what recording the attempt appended; null: nothing recorded. */
export function callbackOutcomeLabel(ok: boolean, recorded: readonly string[] | null): CallbackOutcomeLabel {
  if (recorded === null) return 'dropped';
  if (ok) return 'delivered';
  return recorded.includes('ReminderFailed') ? 'failed' : 'retrying';
}

/** Lateness is timer precision, milliseconds when all is well: fine buckets from 1 ms, up to a minute of backlog. */
const LATENESS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
/** A receiver's answer time, up to the longest timeout a reminder may set (300 s). */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

/**
 * The callback worker's metrics, counted where the worker knows them
 * (FireCallbackController): only the process that sends callbacks has them
 * (the all-in-one, or the callback-worker service; Prometheus sums its
 * replicas). Stale messages, dropped before any POST, are counted apart.
 */
@Injectable()
export class CallbackMetrics {
  private readonly callbacks;
  private readonly attempts;
  private readonly stale;
  private readonly lateness;
  private readonly duration;

  constructor(metrics: Metrics) {
    this.callbacks = metrics.counter({
      name: 'herald_callbacks_total',
      help: 'Callback POSTs by outcome: delivered, retrying (failed, another attempt planned), failed (no attempts left), dropped (outcome not recorded: the reminder changed meanwhile).',
      labelNames: ['outcome'],
    });
    this.attempts = metrics.counter({
      name: 'herald_callback_attempts_total',
      help: "Callback POSTs made, by kind: a reminder's first attempt or a retry.",
      labelNames: ['kind'],
    });
    this.stale = metrics.counter({
      name: 'herald_callback_stale_messages_total',
      help: 'Due callback messages dropped without a POST: the reminder no longer plans them (cancelled, rescheduled, already recorded, a duplicate delivery).',
    });
    this.lateness = metrics.histogram({
      name: 'herald_callback_lateness_seconds',
      help: 'Time from a callback attempt falling due to its POST starting (0 when early).',
      buckets: LATENESS_BUCKETS,
    });
    this.duration = metrics.histogram({
      name: 'herald_callback_duration_seconds',
      help: "Time a callback POST took, until the receiver's answer, an error or the timeout.",
      buckets: DURATION_BUCKETS,
    });
  }

  /** A POST is about to start for `attempt` (1-based), `latenessMs` after the attempt fell due. */
  started(attempt: number, latenessMs: number): void {
    this.attempts.inc({ kind: attempt === 1 ? 'first' : 'retry' });
    this.lateness.observe(Math.max(0, latenessMs) / 1000);
  }

  /** The POST came back after `durationMs` and what became of it. */
  finished(outcome: CallbackOutcomeLabel, durationMs: number): void {
    this.duration.observe(Math.max(0, durationMs) / 1000);
    this.callbacks.inc({ outcome });
  }

  staleMessage(): void {
    this.stale.inc();
  }
}
