export type AbortKind = 'cancelled' | 'paused' | 'lease-lost' | 'shutdown';

/** `ctx.signal.reason` once the signal has aborted. */
export interface TaskAbortReason {
  kind: AbortKind;
}

/** What a handler (and each middleware) gets for one leased task. */
export interface TaskContext<Params = unknown, Checkpoint = unknown> {
  readonly taskId: string;
  readonly type: string;
  readonly params: Params;
  /** The checkpoint saved by an earlier attempt or run (before a pause, say), or null on a fresh start. */
  readonly savedCheckpoint: Checkpoint | null;
  /** 1 on the first attempt. */
  readonly attempt: number;
  readonly workerId: string;
  /**
   * The lease's W3C trace context (`00-<trace id>-<span id>-<flags>`): the
   * trace of the request that enqueued the task. Hand it to your tracer as
   * the parent of the run's spans (OpenTelemetry: `propagation.extract` of
   * `{ traceparent }`). Undefined from a Herald that does not send it.
   */
  readonly traceparent?: string;
  /**
   * Aborts with a `TaskAbortReason`: cancel or pause requested, lease lost, or
   * the worker stopping. Stop soon after; whatever the handler then returns or
   * throws, the lease is released (or, once lost, left alone).
   */
  readonly signal: AbortSignal;
  /** Reports progress; coalesced, the newest value rides on the next periodic heartbeat. Resolves at once. */
  progress(value: unknown): Promise<void>;
  /** Saves a checkpoint; resolves once Herald has answered the heartbeat carrying it (or a newer one). */
  checkpoint(value: Checkpoint): Promise<void>;
}

export type TaskHandlerFn<Params = unknown, Checkpoint = unknown, Result = unknown> = (
  ctx: TaskContext<Params, Checkpoint>,
) => Promise<Result> | Result;

export function abortReason(signal: AbortSignal): TaskAbortReason | undefined {
  return signal.aborted ? (signal.reason as TaskAbortReason) : undefined;
}
