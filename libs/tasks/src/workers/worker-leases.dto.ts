import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiJsonValue, SatisfiesRule } from '@herald/platform';
import { TASK_LIMITS, taskTypeProblem, workerIdProblem } from '../domain';
import { TASK_TYPE_SCHEMA } from '../commands/enqueue-task/enqueue-task.dto';

function typesProblem(value: unknown): string | null {
  if (!Array.isArray(value)) return 'types must be an array of task types';
  for (const type of value) {
    const problem = taskTypeProblem(type);
    if (problem) return `types: ${problem}`;
  }
  return null;
}

/** POST /api/v1/workers/leases */
export class TakeLeasesDto {
  /** Who asks: shown on the task (`workerId`) while it holds the lease. */
  @ApiProperty({ minLength: 1, maxLength: TASK_LIMITS.maxWorkerIdLength })
  @SatisfiesRule(workerIdProblem)
  workerId!: string;

  /** The task types this worker runs. */
  @ApiProperty({ type: 'array', items: { type: 'string', ...TASK_TYPE_SCHEMA }, minItems: 1, maxItems: 100 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @SatisfiesRule(typesProblem)
  types!: string[];

  /** Leases at most (default 1). */
  @ApiPropertyOptional({ type: 'integer', default: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  max?: number;

  /** How long to wait for the first task (long poll; default 0: answer at once). */
  @ApiPropertyOptional({ type: 'integer', default: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(30_000)
  waitMs?: number;
}

/** POST /api/v1/workers/leases/:token/heartbeat */
export class HeartbeatDto {
  /** How far it got, for people polling the task (recorded at most once a second). */
  @ApiJsonValue()
  @IsOptional()
  progress?: unknown;

  /** Where to resume if this lease is lost: durable once answered. */
  @ApiJsonValue()
  @IsOptional()
  checkpoint?: unknown;
}

/** POST /api/v1/workers/leases/:token/complete */
export class CompleteDto {
  /** The task's result: GET /api/v1/tasks/:id/result answers it. */
  @ApiJsonValue()
  @IsOptional()
  result?: unknown;
}

/** POST /api/v1/workers/leases/:token/fail */
export class FailDto {
  /** What went wrong (kept up to 2,000 characters). */
  @IsString()
  @MinLength(1)
  @MaxLength(100_000)
  error!: string;

  /** false: fail the task now, whatever attempts are left (default true: retry with backoff while attempts last). */
  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  retryable?: boolean;
}

/** POST /api/v1/workers/leases/:token/release */
export class ReleaseDto {
  /** Where the next lease resumes (acknowledging a pause or cancel, or handing the task back on shutdown): spends no attempt. */
  @ApiJsonValue()
  @IsOptional()
  checkpoint?: unknown;
}

const OUTCOMES = ['complete', 'fail', 'release'] as const;
/** Which optional fields each outcome takes: the same as its single endpoint's body. */
const FIELDS_OF: Record<(typeof OUTCOMES)[number], readonly string[]> = {
  complete: ['result'],
  fail: ['error', 'retryable'],
  release: ['checkpoint'],
};

function fieldsProblem(outcome: unknown, report: object): string | null {
  const allowed = FIELDS_OF[outcome as (typeof OUTCOMES)[number]];
  if (!allowed) return null; // IsIn names the problem
  const stray = ['result', 'error', 'retryable', 'checkpoint'].filter(
    (f) => (report as Record<string, unknown>)[f] !== undefined && !allowed.includes(f),
  );
  return stray.length === 0 ? null : `a ${String(outcome)} report takes ${allowed.join(', ')}, not ${stray.join(', ')}`;
}

/** One item of POST /api/v1/workers/reports: what `/leases/:token/<outcome>` takes, with the token and outcome in the body. */
export class WorkerReportDto {
  /** The lease, as `/leases/:token/<outcome>` names it. */
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  token!: string;

  @IsIn(OUTCOMES, { message: `outcome must be one of ${OUTCOMES.join(', ')}` })
  @SatisfiesRule(fieldsProblem)
  outcome!: (typeof OUTCOMES)[number];

  /** complete: the task's result. */
  @ApiJsonValue()
  @IsOptional()
  result?: unknown;

  /** fail: what went wrong (required for fail). */
  @ValidateIf((report: WorkerReportDto) => report.outcome === 'fail')
  @IsString()
  @MinLength(1)
  @MaxLength(100_000)
  error?: string;

  /** fail: false fails the task now (default true). */
  @IsOptional()
  @IsBoolean()
  retryable?: boolean;

  /** release: where the next lease resumes. */
  @ApiJsonValue()
  @IsOptional()
  checkpoint?: unknown;
}

/** POST /api/v1/workers/reports: several leases settled in one request. */
export class WorkerReportsDto {
  /** 1–100 reports, answered in this order. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  // ValidateNested alone passes an item that is itself an array ([[]]): class-validator validates its items instead.
  @IsObject({ each: true, message: 'each of reports must be an object { token, outcome, … }' })
  @ValidateNested({ each: true })
  @Type(() => WorkerReportDto)
  reports!: WorkerReportDto[];
}
