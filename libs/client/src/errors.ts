/**
 * A refusal by the API: its status, `code` and `message` from the common error
 * body (`{ statusCode, error, code, message }`), and the body itself. Catch a
 * subclass by status with `instanceof`. A network failure is not a HeraldError:
 * it surfaces as the error `fetch` threw.
 */
export class HeraldError extends Error {
  override name = 'HeraldError';

  constructor(
    /** The HTTP status. */
    readonly status: number,
    /** What went wrong, for programs to branch on (`ReminderNotFound`, `TaskStateConflict`, `ValidationFailed`…). */
    readonly code: string,
    /** The API's message; for invalid input its list of broken rules, joined with `; `. */
    message: string,
    /** The answer's body as sent: the error body, or the text of an answer that was not JSON. */
    readonly body: unknown,
  ) {
    super(message);
  }
}

/** 400: invalid input (`message` names each field and the rule it broke); nothing was written. */
export class HeraldBadRequestError extends HeraldError {
  override name = 'HeraldBadRequestError';
}

/** 401: no API key, or one Herald does not know. */
export class HeraldUnauthorizedError extends HeraldError {
  override name = 'HeraldUnauthorizedError';
}

/** 403: the key lacks the call's scope, or names another owner than its own. */
export class HeraldForbiddenError extends HeraldError {
  override name = 'HeraldForbiddenError';
}

/** 404: no such resource (or another owner's, for a key limited to an owner). */
export class HeraldNotFoundError extends HeraldError {
  override name = 'HeraldNotFoundError';
}

/** 409: the resource's state does not allow this (`message` names its status). */
export class HeraldConflictError extends HeraldError {
  override name = 'HeraldConflictError';
}

/** 422: the Idempotency-Key was used for a different request. */
export class HeraldUnprocessableError extends HeraldError {
  override name = 'HeraldUnprocessableError';
}

/** 429: a rate limit was passed; retry after `retryAfterSeconds`. */
export class HeraldRateLimitedError extends HeraldError {
  override name = 'HeraldRateLimitedError';

  constructor(
    status: number,
    code: string,
    message: string,
    body: unknown,
    /** The answer's `Retry-After`, in seconds (undefined if it had none). */
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(status, code, message, body);
  }
}

/** 5xx: Herald (or a proxy in front of it) failed or is unavailable for now (503: retry after `retryAfterSeconds` if given). */
export class HeraldServerError extends HeraldError {
  override name = 'HeraldServerError';

  constructor(
    status: number,
    code: string,
    message: string,
    body: unknown,
    /** The answer's `Retry-After`, in seconds (undefined if it had none). */
    readonly retryAfterSeconds?: number,
  ) {
    super(status, code, message, body);
  }
}

const BY_STATUS: Record<number, typeof HeraldError> = {
  400: HeraldBadRequestError,
  401: HeraldUnauthorizedError,
  403: HeraldForbiddenError,
  404: HeraldNotFoundError,
  409: HeraldConflictError,
  422: HeraldUnprocessableError,
};

/** The error for a refused answer, from its status, its `Retry-After` and its body (already read: parsed JSON, or text). */
export function heraldError(response: Response, body: unknown): HeraldError {
  const { status } = response;
  const fields = typeof body === 'object' && body !== null ? (body as { code?: unknown; message?: unknown }) : {};
  const code = typeof fields.code === 'string' ? fields.code : `Http${status}`;
  const message = Array.isArray(fields.message)
    ? fields.message.map(String).join('; ')
    : typeof fields.message === 'string'
      ? fields.message
      : typeof body === 'string' && body.trim() !== ''
        ? `HTTP ${status}: ${body.trim().slice(0, 500)}`
        : `HTTP ${status}${response.statusText ? ` ${response.statusText}` : ''}`;
  const retryAfter = retryAfterSeconds(response.headers.get('retry-after'));
  if (status === 429) return new HeraldRateLimitedError(status, code, message, body, retryAfter);
  if (status >= 500) return new HeraldServerError(status, code, message, body, retryAfter);
  const Class = BY_STATUS[status] ?? HeraldError;
  return new Class(status, code, message, body);
}

/** `Retry-After` in seconds: delta-seconds, or an HTTP date (seconds from now, at least 0). */
export function retryAfterSeconds(header: string | null): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}
