import { NonRetryableError, describeError } from '../errors';

/** How a handler's run ended. */
export type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

/** What the worker tells Herald about that run. */
export type Outcome =
  { kind: 'complete'; result: unknown } | { kind: 'fail'; error: string; retryable: boolean } | { kind: 'release' } | { kind: 'none' };

/**
 * A lost lease is nobody's to settle any more. An aborted run (cancel, pause,
 * shutdown) goes back to the queue whatever the handler did, since its result
 * answers a question nobody is asking now. Otherwise the handler decides.
 */
export function decideOutcome(state: { lost: boolean; aborted: boolean }, settled: Settled): Outcome {
  if (state.lost) return { kind: 'none' };
  if (state.aborted) return { kind: 'release' };
  if (settled.ok) return { kind: 'complete', result: settled.value };
  return { kind: 'fail', error: describeError(settled.error), retryable: !(settled.error instanceof NonRetryableError) };
}

/** Runs `fn`, turning a synchronous throw into a settled failure too. */
export async function settle(fn: () => unknown): Promise<Settled> {
  try {
    return { ok: true, value: await fn() };
  } catch (error) {
    return { ok: false, error };
  }
}
