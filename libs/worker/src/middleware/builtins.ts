import { NonRetryableError } from '../errors';
import { WorkerLogger, consoleLogger } from '../logger';
import { TaskContext, abortReason } from '../task/task-context';
import { Middleware } from './compose';

/** How a run of the handler ended, as middleware sees it (what Herald recorded is `onSettled`'s). */
export type RunOutcome = 'completed' | 'failed' | 'cancelled' | 'paused' | 'lease-lost' | 'shutdown';

/** One run of a handler: what `timeTasks` hands to a metrics library. */
export interface RunSample {
  readonly type: string;
  readonly taskId: string;
  readonly attempt: number;
  readonly outcome: RunOutcome;
  readonly durationMs: number;
}

/** The outcome of a run that ended: an aborted signal names why, whatever the handler returned or threw. */
function outcomeOf(ctx: TaskContext, threw: boolean): RunOutcome {
  return abortReason(ctx.signal)?.kind ?? (threw ? 'failed' : 'completed');
}

/**
 * Times every run and hands the sample to `record` (a histogram's observe,
 * say), after the handler and the middleware inside this one. `record` must
 * not throw: a metrics failure is no reason to fail a task, so it is swallowed.
 */
export function timeTasks(record: (sample: RunSample) => void, now: () => number = Date.now): Middleware {
  return async (ctx, next) => {
    const started = now();
    let threw = true;
    try {
      const result = await next();
      threw = false;
      return result;
    } finally {
      try {
        record({ type: ctx.type, taskId: ctx.taskId, attempt: ctx.attempt, outcome: outcomeOf(ctx, threw), durationMs: now() - started });
      } catch {
        // see above: metrics never decide a task's outcome
      }
    }
  };
}

/** Logs how each run ended (outcome, duration, a failure's message) to the console or another WorkerLogger. */
export function logTasks(logger: WorkerLogger = consoleLogger, now: () => number = Date.now): Middleware {
  return async (ctx, next) => {
    const started = now();
    const meta = () => ({ taskId: ctx.taskId, type: ctx.type, attempt: ctx.attempt, durationMs: now() - started });
    try {
      const result = await next();
      const outcome = outcomeOf(ctx, false);
      if (outcome === 'completed') logger.info('task completed', meta());
      else logger.info(`task stopped: ${outcome}`, meta());
      return result;
    } catch (error) {
      const outcome = outcomeOf(ctx, true);
      if (outcome === 'failed') logger.warn('task failed', { ...meta(), error: error instanceof Error ? error.message : String(error) });
      else logger.info(`task stopped: ${outcome}`, meta());
      throw error;
    }
  };
}

/**
 * Error handling: an error `isPermanent` recognises (bad params, a 404 from
 * your own API) fails the task at once, without using more attempts, as a
 * NonRetryableError carrying the original message; other errors pass
 * through (retried while attempts are left).
 */
export function failFastOn(isPermanent: (error: unknown) => boolean): Middleware {
  return (_ctx, next) =>
    next().catch((error: unknown) => {
      if (error instanceof NonRetryableError || !isPermanent(error)) throw error;
      throw new NonRetryableError(error instanceof Error ? error.message : String(error), { cause: error });
    });
}
