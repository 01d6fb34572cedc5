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
import { SatisfiesRule } from '@herald/platform';
import { taskTypeProblem, workerIdProblem } from '../domain';

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
  @SatisfiesRule(workerIdProblem)
  workerId!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @SatisfiesRule(typesProblem)
  types!: string[];

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  max?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(30_000)
  waitMs?: number;
}

/** POST /api/v1/workers/leases/:token/heartbeat */
export class HeartbeatDto {
  @IsOptional()
  progress?: unknown;

  @IsOptional()
  checkpoint?: unknown;
}

/** POST /api/v1/workers/leases/:token/complete */
export class CompleteDto {
  @IsOptional()
  result?: unknown;
}

/** POST /api/v1/workers/leases/:token/fail */
export class FailDto {
  @IsString()
  @MinLength(1)
  @MaxLength(100_000)
  error!: string;

  @IsOptional()
  @IsBoolean()
  retryable?: boolean;
}

/** POST /api/v1/workers/leases/:token/release */
export class ReleaseDto {
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
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  token!: string;

  @IsIn(OUTCOMES, { message: `outcome must be one of ${OUTCOMES.join(', ')}` })
  @SatisfiesRule(fieldsProblem)
  outcome!: (typeof OUTCOMES)[number];

  @IsOptional()
  result?: unknown;

  @ValidateIf((report: WorkerReportDto) => report.outcome === 'fail')
  @IsString()
  @MinLength(1)
  @MaxLength(100_000)
  error?: string;

  @IsOptional()
  @IsBoolean()
  retryable?: boolean;

  @IsOptional()
  checkpoint?: unknown;
}

/** POST /api/v1/workers/reports: several leases settled in one request. */
export class WorkerReportsDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  // ValidateNested alone passes an item that is itself an array ([[]]): class-validator validates its items instead.
  @IsObject({ each: true, message: 'each of reports must be an object { token, outcome, … }' })
  @ValidateNested({ each: true })
  @Type(() => WorkerReportDto)
  reports!: WorkerReportDto[];
}
