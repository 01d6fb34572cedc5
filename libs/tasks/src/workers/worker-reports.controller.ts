import { ApiErrors, Caller, Principal, RequireScope, RequestTraceparent } from '@herald/platform';
import { Body, Controller, HttpCode, HttpException, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { WrongExpectedRevisionError } from '@herald/event-store';
import { DomainError } from '@herald/kernel';
import { LeaseReport, LeaseReports } from './lease-reports';
import { WorkerReportDto, WorkerReportsDto } from './worker-leases.dto';
import { WorkerReportResultsDto } from './worker-answers.dto';

const STATUS_OF_KIND = { invalid: 400, 'not-found': 404, conflict: 409 } as const;

/**
 * Settles several leases in one request: a busy worker finishes tasks faster
 * than one request each can carry (the SDK sends what finished while its
 * previous batch was in flight). Each report is recorded exactly as its single
 * endpoint would (same command id, so the two ways can be mixed and retried),
 * and answered in order: `ok`, or the status, code and message that endpoint
 * would have answered (409 LeaseLost for a lease no longer held, 400 for a
 * result or checkpoint over PAYLOAD_MAX_BYTES) — one refused report never
 * costs the others. Only a body it cannot read is a 400 for the whole request.
 */
@ApiTags('workers')
@RequireScope('work')
@Controller('api/v1/workers/reports')
export class WorkerReportsController {
  constructor(private readonly reports: LeaseReports) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    operationId: 'workers.report',
    summary: 'Report several leases at once',
    description:
      'Each report is recorded exactly as its single endpoint would record it (so the two ways mix and retry safely) and answered in order; ' +
      'one refused report never costs the others. Only a body it cannot read is a 400 for the whole request.',
  })
  @ApiOkResponse({ type: WorkerReportResultsDto })
  @ApiErrors(400)
  async record(@Body() body: WorkerReportsDto, @Caller() caller: Principal, @RequestTraceparent() traceparent: string) {
    const reports = body.reports.map(toLeaseReport);
    // In parallel: the appends share a commit. Each report stands alone: one that is refused does not sink the others.
    const settled = await Promise.allSettled(
      reports.map(async (report) => {
        this.reports.assertWithinLimits(report);
        await this.reports.assertHeldBy(report.token, caller.owner);
        return this.reports.record(report, traceparent);
      }),
    );
    // A store failure fails the request: the worker sends it again, and reports already recorded are recognised by their command ids.
    const unexpected = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected' && refusal(s.reason) === null);
    if (unexpected) throw unexpected.reason;
    return {
      results: settled.map((s, i) => {
        const { token } = reports[i];
        return s.status === 'fulfilled' ? { token, ok: true, ...s.value } : { token, ok: false, ...refusal(s.reason)! };
      }),
    };
  }
}

/** What the single endpoint would have answered for a refused report; null for a failure that is not a refusal. */
function refusal(error: unknown): { statusCode: number; code: string; message: string } | null {
  if (error instanceof DomainError) return { statusCode: STATUS_OF_KIND[error.kind], code: error.code, message: error.message };
  if (error instanceof WrongExpectedRevisionError)
    return { statusCode: 409, code: 'ConcurrencyConflict', message: `${error.message}; send the report again` };
  if (error instanceof HttpException && error.getStatus() < 500) {
    const body = error.getResponse() as { code?: string; message?: string | string[] };
    const message = Array.isArray(body.message) ? body.message.join('; ') : (body.message ?? error.message);
    return { statusCode: error.getStatus(), code: body.code ?? 'BadRequest', message };
  }
  return null;
}

function toLeaseReport(dto: WorkerReportDto): LeaseReport {
  const { token } = dto;
  if (dto.outcome === 'complete') return { outcome: 'complete', token, result: dto.result };
  if (dto.outcome === 'release') return { outcome: 'release', token, checkpoint: dto.checkpoint };
  return { outcome: 'fail', token, error: dto.error!, retryable: dto.retryable };
}
