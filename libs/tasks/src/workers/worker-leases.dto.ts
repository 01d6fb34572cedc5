import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
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
