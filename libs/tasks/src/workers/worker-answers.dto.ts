import { ApiProperty } from '@nestjs/swagger';
import { ApiDateTime, ApiJsonValue, ApiUuid, AssertSameShape } from '@herald/platform';
import type { HeartbeatAnswer, TaskStatus } from '../domain';

/** A lease on a task: run it, heartbeat within `heartbeatTimeoutMs`, and report its outcome naming `token`. */
export class LeaseDto {
  /** Names this lease in every later call; once it no longer holds the task, those calls answer 409 LeaseLost. */
  token!: string;

  @ApiUuid()
  taskId!: string;

  type!: string;

  /** As enqueued. */
  @ApiJsonValue()
  params!: unknown;

  /** Where the last lease left off (null: from the start). */
  @ApiJsonValue()
  checkpoint!: unknown;

  /** 1 for the first lease; a released lease spends no attempt. */
  @ApiProperty({ type: 'integer' })
  attempt!: number;

  @ApiProperty({ type: 'integer' })
  heartbeatTimeoutMs!: number;

  /** The lease lapses then unless a heartbeat moves it on. */
  @ApiDateTime()
  expiresAt!: string;

  /** W3C trace context of the lease: parent the worker's spans on it (it continues the enqueue's trace). */
  traceparent!: string;
}

/** POST /api/v1/workers/leases: empty when none came within `waitMs`. */
export class LeasesDto {
  leases!: LeaseDto[];
}

/** POST /api/v1/workers/leases/:token/heartbeat */
export class HeartbeatAnswerDto {
  /** When the lease now lapses without another heartbeat. */
  @ApiDateTime()
  expiresAt!: string | null;

  /** A user asked to pause: stop at a checkpoint and `release`. */
  pauseRequested!: boolean;

  /** A user asked to cancel: stop and `release` (or `fail`). */
  cancelRequested!: boolean;
}

/** The answer of complete, fail and release: the task's status after the report. */
export class ReportRecordedDto {
  @ApiUuid()
  taskId!: string;

  status!: TaskStatus;
}

/** One report's outcome in POST /api/v1/workers/reports, in the order sent: `ok` with the task's status, or what its single endpoint would have refused with. */
export class WorkerReportResultDto {
  token!: string;

  ok!: boolean;

  /** ok: the task. */
  @ApiUuid()
  taskId?: string;

  /** ok: its status after the report. */
  status?: TaskStatus;

  /** Refused: the status its single endpoint would have answered (409 LeaseLost for a lease no longer held, 400 …). */
  @ApiProperty({ type: 'integer' })
  statusCode?: number;

  /** Refused: the error code. */
  code?: string;

  /** Refused: why. */
  message?: string;
}

/** POST /api/v1/workers/reports */
export class WorkerReportResultsDto {
  results!: WorkerReportResultDto[];
}

const _sameShape: AssertSameShape<HeartbeatAnswerDto, HeartbeatAnswer> = true;
