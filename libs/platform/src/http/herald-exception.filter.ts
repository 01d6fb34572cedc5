import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DomainError } from '@herald/kernel';
import { WrongExpectedRevisionError } from '@herald/event-store';
import { InvalidCursorError } from '@herald/view-store';

const STATUS_BY_KIND = { invalid: HttpStatus.BAD_REQUEST, 'not-found': HttpStatus.NOT_FOUND, conflict: HttpStatus.CONFLICT } as const;
const ERROR_NAME: Record<number, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};
/**
 * Codes for the refusals Fastify makes before a route runs, which Nest hands on as HttpException(message, status),
 * and for Nest's own exceptions, which carry no code (ParseUUIDPipe's 400, the 404 of a path no route serves).
 */
const REFUSAL_CODE: Record<number, string> = { 400: 'BadRequest', 404: 'NotFound', 413: 'BodyTooLarge', 415: 'UnsupportedMediaType' };

/**
 * One JSON error shape for every failure: { statusCode, error, code?, message }.
 * Domain errors carry their own kind; a lost optimistic-concurrency race is
 * a 409 the caller may retry; anything unexpected is logged and hidden.
 */
@Catch()
export class HeraldExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  /** bodyLimitBytes: named in a 413, so the client learns the limit it passed. */
  constructor(private readonly limits: { bodyLimitBytes: number }) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { statusCode, body } = this.describe(exception);
    void reply.status(statusCode).send(body);
  }

  private describe(exception: unknown): { statusCode: number; body: Record<string, unknown> } {
    if (exception instanceof HttpException) {
      const response = exception.getResponse();
      if (typeof response === 'string') return this.refusal(exception.getStatus(), response);
      const unhealthy = healthReport(exception.getStatus(), response);
      if (unhealthy) return unhealthy;
      const { code, message } = response as { code?: unknown; message?: unknown };
      // Nest's own ({ statusCode, error, message }): in the common shape too, with a code.
      if (typeof code !== 'string') {
        const text = typeof message === 'string' ? message : Array.isArray(message) ? message.join('; ') : exception.message;
        return this.refusal(exception.getStatus(), text);
      }
      return { statusCode: exception.getStatus(), body: response as Record<string, unknown> };
    }
    if (exception instanceof DomainError) return this.body(STATUS_BY_KIND[exception.kind], exception.code, exception.message);
    if (exception instanceof WrongExpectedRevisionError) {
      return this.body(409, 'ConcurrencyConflict', `${exception.message}; the reminder changed meanwhile, retry the request`);
    }
    if (exception instanceof InvalidCursorError) return this.body(400, 'InvalidCursor', exception.message);
    const status = (exception as { statusCode?: number })?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return this.body(status, (exception as { code?: string }).code ?? 'BadRequest', (exception as Error).message);
    }
    this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    return this.body(500, 'InternalError', 'internal error; see the service log');
  }

  /** A bare message (from Fastify: 413, 415, an empty JSON body) in the shape of every other error, saying what to send instead. */
  private refusal(statusCode: number, message: string) {
    const code = REFUSAL_CODE[statusCode] ?? 'HttpError';
    const limit = this.limits.bodyLimitBytes;
    if (statusCode === 413) return this.body(413, code, `request body is larger than the limit of ${limit} bytes (BODY_LIMIT_BYTES)`);
    if (statusCode === 415) return this.body(415, code, `${message}: request bodies are application/json`);
    return this.body(statusCode, code, message);
  }

  private body(statusCode: number, code: string, message: string) {
    return { statusCode, body: { statusCode, error: ERROR_NAME[statusCode] ?? 'Error', code, message } };
  }
}

/**
 * Terminus's 503 (GET /health with a probe down): its report (`status`,
 * `info`, `details`; its `error` as `down`) in the common shape, with a
 * message naming what is down — not Nest's bare "Service Unavailable".
 */
function healthReport(statusCode: number, response: object): { statusCode: number; body: Record<string, unknown> } | null {
  const report = response as { status?: unknown; error?: unknown; details?: unknown };
  if (statusCode !== 503 || report.status !== 'error' || typeof report.details !== 'object' || report.details === null) return null;
  const down = Object.keys(report.error ?? {});
  const message = `not ready: ${down.length > 0 ? down.join(', ') : 'a probe'} down (see down)`;
  // Terminus's `error` (the probes down) is `down` here: `error` is the common shape's status text.
  const { error: down_, ...rest } = report as Record<string, unknown>;
  return { statusCode, body: { ...rest, statusCode, error: 'Service Unavailable', code: 'Unhealthy', message, down: down_ ?? {} } };
}
