import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { DomainError } from '@herald/kernel';
import { LeaseReport, LeaseReports } from './lease-reports';
import { WorkerReportDto, WorkerReportsDto } from './worker-leases.dto';

const STATUS_OF_KIND = { invalid: 400, 'not-found': 404, conflict: 409 } as const;

/**
 * Settles several leases in one request: a busy worker finishes tasks faster
 * than one request each can carry (the SDK sends what finished while its
 * previous batch was in flight). Each report is recorded exactly as its single
 * endpoint would (same command id, so the two ways can be mixed and retried),
 * and answered in order: `ok`, or the status, code and message that endpoint
 * would have answered (409 LeaseLost for a lease no longer held).
 */
@Controller('api/v1/workers/reports')
export class WorkerReportsController {
  constructor(private readonly reports: LeaseReports) {}

  @Post()
  @HttpCode(200)
  async record(@Body() body: WorkerReportsDto) {
    const reports = body.reports.map(toLeaseReport);
    reports.forEach((report) => this.reports.assertWithinLimits(report));
    // In parallel: the appends share a commit.
    const settled = await Promise.allSettled(reports.map((report) => this.reports.record(report)));
    // A store failure fails the request: the worker sends it again, and reports already recorded are recognised by their command ids.
    const unexpected = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected' && !(s.reason instanceof DomainError));
    if (unexpected) throw unexpected.reason;
    return {
      results: settled.map((s, i) => {
        const { token } = reports[i];
        if (s.status === 'fulfilled') return { token, ok: true, ...s.value };
        const error = s.reason as DomainError;
        return { token, ok: false, statusCode: STATUS_OF_KIND[error.kind], code: error.code, message: error.message };
      }),
    };
  }
}

function toLeaseReport(dto: WorkerReportDto): LeaseReport {
  const { token } = dto;
  if (dto.outcome === 'complete') return { outcome: 'complete', token, result: dto.result };
  if (dto.outcome === 'release') return { outcome: 'release', token, checkpoint: dto.checkpoint };
  return { outcome: 'fail', token, error: dto.error!, retryable: dto.retryable };
}
