import { ErrorAnswer } from './protocol';

/**
 * Thrown by a handler when trying again cannot help (bad params, a missing
 * record): the task fails with `retryable: false` instead of using another attempt.
 */
export class NonRetryableError extends Error {
  override name = 'NonRetryableError';
}

/** Herald answered with a non-2xx status. */
export class HeraldHttpError extends Error {
  override name = 'HeraldHttpError';

  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
    readonly body?: ErrorAnswer,
  ) {
    super(message);
  }
}

/**
 * The lease token is no longer valid (lapsed, task cancelled or finished, or
 * leased again): whatever this worker does with the task now is void.
 */
export class LeaseLostError extends HeraldHttpError {
  override name = 'LeaseLostError';
}

/**
 * Whether a failed call may succeed if repeated: network errors, timeouts,
 * 5xx, 408 and 429. Other 4xx answers will not change on their own.
 */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof HeraldHttpError)) return true;
  return error.status >= 500 || error.status === 408 || error.status === 429;
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
