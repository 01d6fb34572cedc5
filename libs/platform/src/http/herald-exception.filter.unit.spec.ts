import { ArgumentsHost, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { HeraldExceptionFilter } from './herald-exception.filter';

/** What the filter sends, for one exception. */
function sent(exception: unknown): { status: number; body: Record<string, unknown> } {
  const out = { status: 0, body: {} as Record<string, unknown> };
  const reply = {
    status(code: number) {
      out.status = code;
      return this;
    },
    send(body: Record<string, unknown>) {
      out.body = body;
      return this;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => reply }) } as unknown as ArgumentsHost;
  new HeraldExceptionFilter({ bodyLimitBytes: 1_000 }).catch(exception, host);
  return out;
}

describe('HeraldExceptionFilter', () => {
  it("keeps Terminus's health report on a 503, in the common shape, naming what is down", () => {
    const report = {
      status: 'error',
      info: { store: { status: 'up' } },
      error: { 'query.reminder-views': { status: 'down', message: 'stopped' } },
      details: { store: { status: 'up' }, 'query.reminder-views': { status: 'down', message: 'stopped' } },
    };
    const { status, body } = sent(new ServiceUnavailableException(report));
    expect(status).toBe(503);
    expect(body).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      code: 'Unhealthy',
      message: 'not ready: query.reminder-views down (see down)',
      status: 'error',
      info: report.info,
      down: report.error,
      details: report.details,
    });
  });

  it("gives Nest's own exceptions a code in the common shape", () => {
    expect(sent(new NotFoundException('Cannot GET /nowhere'))).toEqual({
      status: 404,
      body: { statusCode: 404, error: 'Not Found', code: 'NotFound', message: 'Cannot GET /nowhere' },
    });
  });
});
