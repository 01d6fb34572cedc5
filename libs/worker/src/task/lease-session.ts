import { describeError, isTransient, LeaseLostError } from '../errors';
import { HeraldClient } from '../http/herald-client';
import { ReportBatcher } from '../http/report-batcher';
import { WorkerLogger } from '../logger';
import { HeartbeatAnswer, Lease } from '../protocol';
import { BackoffOptions, backoffDelay } from '../retry/backoff';
import { sleep } from '../util/sleep';
import { HeartbeatBatch, HeartbeatBuffer } from './heartbeat-buffer';
import { decideOutcome, Outcome, Settled } from './outcome';
import { AbortKind, TaskContext } from './task-context';

/**
 * New progress goes out within this long: Herald records progress at most once
 * a second and promises it on the read side within one, so waiting for the
 * (much longer) heartbeat interval would hide it.
 */
export const PROGRESS_FLUSH_MS = 1_000;

/**
 * Heartbeats per lease timeout. Herald extends a lease only when its recorded
 * expiry is half the timeout away or less (to keep the log small), so at a
 * sixth of the timeout the extending heartbeat and the two after it may all
 * fail before the lease lapses; at a third, one slow or failed call was enough.
 */
export const HEARTBEATS_PER_TIMEOUT = 6;

export interface LeaseSessionDeps {
  client: HeraldClient;
  /** Complete, fail and release go out batched with other tasks' reports. */
  reports: ReportBatcher;
  logger: WorkerLogger;
  workerId: string;
  /** Undefined: a sixth of the lease's heartbeat timeout (HEARTBEATS_PER_TIMEOUT). */
  heartbeatIntervalMs?: number;
  backoff: BackoffOptions;
}

/** How a leased task ended, as far as Herald is concerned (`HeraldWorkerOptions.onSettled`). */
export interface SettleReport {
  taskId: string;
  type: string;
  /** What the worker reported; `none` when the lease was lost first (nothing to report). */
  outcome: Outcome['kind'];
  /** Herald answered the report: the outcome is in the task's history. */
  recorded: boolean;
}

/**
 * One leased task from lease to settlement: its heartbeats (sent one at a
 * time, so checkpoints arrive in order), its abort signal, and the final
 * complete / fail / release call.
 */
export class LeaseSession {
  private readonly controller = new AbortController();
  private readonly buffer = new HeartbeatBuffer();
  private timer: NodeJS.Timeout | undefined;
  private progressTimer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private tickDue = false;
  /** A heartbeat just failed transiently: its checkpoint waits for the next tick (a Herald that is down answers at once). */
  private retryOnTick = false;
  private closed = false;
  private lost = false;
  /** Local time after which the lease has surely lapsed: no point retrying a settle call beyond it. */
  private deadline: number;

  constructor(
    readonly lease: Lease,
    private readonly deps: LeaseSessionDeps,
  ) {
    this.deadline = Date.now() + lease.heartbeatTimeoutMs;
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  startHeartbeats(): void {
    const intervalMs = this.deps.heartbeatIntervalMs ?? Math.floor(this.lease.heartbeatTimeoutMs / HEARTBEATS_PER_TIMEOUT);
    this.timer = setInterval(() => this.tick(), Math.max(intervalMs, 1));
  }

  /** The first reason wins; a later lease loss still stops all further calls. */
  abort(kind: AbortKind): void {
    if (!this.controller.signal.aborted) this.controller.abort({ kind });
  }

  context(): TaskContext {
    const { taskId, type, params, checkpoint, attempt, traceparent } = this.lease;
    return {
      taskId,
      type,
      params,
      savedCheckpoint: checkpoint ?? null,
      attempt,
      workerId: this.deps.workerId,
      traceparent,
      signal: this.signal,
      progress: async (value) => this.offerProgress(value),
      checkpoint: (value) => this.offerCheckpoint(value),
    };
  }

  /** Stops heartbeating and tells Herald how the run ended. Never throws. */
  async finish(settled: Settled): Promise<SettleReport> {
    this.closed = true;
    clearInterval(this.timer);
    clearTimeout(this.progressTimer);
    await this.inFlight;
    const aborted = this.signal.aborted;
    // A failed attempt is retried from the last checkpoint: make sure an unawaited one got there first.
    if (!aborted && !this.lost && this.buffer.hasCheckpoint) await this.send(this.buffer.take(false));
    const outcome = decideOutcome({ lost: this.lost, aborted }, settled);
    const recorded = await this.deliver(outcome);
    this.buffer.rejectAll(new Error('the task settled before this checkpoint was saved'));
    return { taskId: this.lease.taskId, type: this.lease.type, outcome: outcome.kind, recorded };
  }

  private offerProgress(value: unknown): void {
    if (this.lost || this.closed) return;
    this.buffer.offerProgress(value);
    this.progressTimer ??= setTimeout(() => {
      this.progressTimer = undefined;
      this.tick();
    }, PROGRESS_FLUSH_MS);
  }

  private offerCheckpoint(value: unknown): Promise<void> {
    if (this.lost) {
      const rejected = Promise.reject(new LeaseLostError(409, 'LeaseLost', 'the lease on this task was lost'));
      rejected.catch(() => undefined); // a handler that does not await its checkpoint must not crash the process
      return rejected;
    }
    const saved = this.buffer.offerCheckpoint(value);
    this.pump();
    return saved;
  }

  private tick(): void {
    if (this.surelyLapsed()) return this.markLost(new LeaseLostError(409, 'LeaseLost', 'no heartbeat was answered within the lease timeout'));
    this.tickDue = true;
    this.retryOnTick = false;
    this.pump();
  }

  /**
   * No heartbeat was answered for a whole lease timeout, and none is on its
   * way: Herald has lapsed the lease (its expiry is never later than this
   * deadline) and will run the task again, so the handler must not wait on a
   * Herald that stays unreachable. With a heartbeat in flight it may still
   * have been extended: its answer decides.
   */
  private surelyLapsed(): boolean {
    return !this.lost && !this.closed && !this.inFlight && Date.now() >= this.deadline;
  }

  /** Sends the next heartbeat if one is due and none is in flight; each answer pumps again. */
  private pump(): void {
    if (this.inFlight || this.closed || this.lost) return;
    if (!this.tickDue && (this.retryOnTick || !this.buffer.hasCheckpoint)) return;
    const batch = this.buffer.take(this.tickDue);
    this.tickDue = false;
    this.inFlight = this.send(batch).finally(() => {
      this.inFlight = undefined;
      this.pump();
    });
  }

  private async send(batch: HeartbeatBatch): Promise<void> {
    try {
      const answer = await this.deps.client.heartbeat(this.lease.token, batch.body);
      batch.delivered();
      this.onAnswer(answer);
    } catch (error) {
      this.onHeartbeatError(batch, error);
    }
  }

  private onAnswer(answer: HeartbeatAnswer): void {
    this.deadline = Date.now() + this.lease.heartbeatTimeoutMs;
    if (answer.cancelRequested) this.abort('cancelled');
    else if (answer.pauseRequested) this.abort('paused');
  }

  private onHeartbeatError(batch: HeartbeatBatch, error: unknown): void {
    if (error instanceof LeaseLostError) {
      batch.failed(error);
      this.markLost(error);
    } else if (isTransient(error)) {
      // The next tick tries again; the lease survives a couple of missed heartbeats.
      this.buffer.restore(batch);
      this.retryOnTick = true;
      this.deps.logger.warn('heartbeat failed; retrying on the next tick', this.meta({ error: describeError(error) }));
    } else {
      batch.failed(error);
      this.deps.logger.error('heartbeat rejected', this.meta({ error: describeError(error) }));
    }
  }

  private markLost(error: LeaseLostError): void {
    this.lost = true;
    clearInterval(this.timer);
    clearTimeout(this.progressTimer);
    this.abort('lease-lost');
    this.buffer.rejectAll(error);
    this.deps.logger.warn('lease lost; the task is no longer this worker’s', this.meta({ error: error.message }));
  }

  /** Settle calls are retried through outages, until the lease must have lapsed anyway. True once Herald recorded it. */
  private async deliver(outcome: Outcome): Promise<boolean> {
    if (outcome.kind === 'none') return false;
    for (let failures = 1; ; failures++) {
      try {
        await this.call(outcome);
        return true;
      } catch (error) {
        if (!this.shouldRetry(outcome, error)) return false;
        await sleep(backoffDelay(failures, this.deps.backoff));
      }
    }
  }

  private shouldRetry(outcome: Outcome, error: unknown): boolean {
    const meta = this.meta({ outcome: outcome.kind, error: describeError(error) });
    if (error instanceof LeaseLostError) {
      this.deps.logger.warn('lease lost before the task was settled', meta);
      return false;
    }
    if (isTransient(error) && Date.now() < this.deadline) {
      this.deps.logger.warn('settling the task failed; retrying', meta);
      return true;
    }
    this.deps.logger.error('could not settle the task; Herald will retry it when the lease lapses', meta);
    return false;
  }

  private async call(outcome: Exclude<Outcome, { kind: 'none' }>): Promise<void> {
    const { reports } = this.deps;
    const token = this.lease.token;
    if (outcome.kind === 'complete')
      return reports.send(outcome.result === undefined ? { token, outcome: 'complete' } : { token, outcome: 'complete', result: outcome.result });
    if (outcome.kind === 'fail') return reports.send({ token, outcome: 'fail', error: outcome.error, retryable: outcome.retryable });
    return this.release();
  }

  /** Carries the newest checkpoint, durable or not: the release makes it durable. */
  private async release(): Promise<void> {
    const latest = this.buffer.latestCheckpoint;
    const pending = this.buffer.take(false);
    try {
      const token = this.lease.token;
      await this.deps.reports.send(latest ? { token, outcome: 'release', checkpoint: latest.value } : { token, outcome: 'release' });
      pending.delivered();
    } catch (error) {
      this.buffer.restore(pending);
      throw error;
    }
  }

  private meta(extra: Record<string, unknown>): Record<string, unknown> {
    return { taskId: this.lease.taskId, type: this.lease.type, ...extra };
  }
}
