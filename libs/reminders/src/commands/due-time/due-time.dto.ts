import { applyDecorators } from '@nestjs/common';
import { IsISO8601, IsNumber, IsOptional, Matches, Max, Min } from 'class-validator';
import { ApiHideProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiDateTime, SatisfiesRule } from '@herald/platform';
import { REMINDER_LIMITS } from '../../domain';

/**
 * When a reminder falls due, as the HTTP layer hands it to a command: exactly
 * one of the two is set (the DTO enforces it). Turned into a time by
 * `dueAtFrom` at the moment the command runs, so a delay counts from then.
 */
export interface DueTime {
  readonly dueAt?: Date;
  readonly delayMs?: number;
}

/** The due time a command means at `now`: its dueAt as given, or now plus its delay. */
export const dueAtFrom = (due: DueTime, now: Date): Date => due.dueAt ?? new Date(now.getTime() + (due.delayMs ?? 0));

const YEARS_10_S = REMINDER_LIMITS.maxDelayMs / 1000;
const finite = { allowNaN: false, allowInfinity: false };

/** The form of a dueAt: ISO-8601 with a time zone. Its range (10 years ahead, 24 hours past) is the domain's rule, checked by the decision. */
export const IsDueAtString = () =>
  applyDecorators(
    IsISO8601({ strict: true, strictSeparator: true }, { message: 'dueAt must be an ISO-8601 date-time such as 2026-11-23T09:00:00.000Z' }),
    Matches(/(Z|[+-]\d{2}:\d{2})$/, { message: 'dueAt must end with a time zone (Z or ±hh:mm)' }),
  );

function delayFormProblem(_: unknown, o: object): string | null {
  const body = o as DueTimeDto;
  const relative = [body.hours, body.minutes, body.seconds].some((v) => v !== undefined);
  if (relative && body.dueAt != null) return 'give either dueAt or hours/minutes/seconds, not both';
  if (!relative && body.dueAt === undefined) return 'give when the reminder is due: dueAt, or hours/minutes/seconds';
  return null;
}

/**
 * "When is it due": `dueAt`, or `hours`/`minutes`/`seconds` from now (added
 * together, fractions allowed), never both. Defining and rescheduling a
 * reminder share these fields, their rules and their messages.
 */
export class DueTimeDto {
  /** Due this many hours from now, added to `minutes` and `seconds` (fractions allowed); not with `dueAt`. */
  @ApiPropertyOptional({ maximum: YEARS_10_S / 3600 })
  @IsOptional()
  @IsNumber(finite)
  @Min(0)
  @Max(YEARS_10_S / 3600)
  hours?: number;

  /** Minutes from now, added to `hours` and `seconds`. */
  @ApiPropertyOptional({ maximum: YEARS_10_S / 60 })
  @IsOptional()
  @IsNumber(finite)
  @Min(0)
  @Max(YEARS_10_S / 60)
  minutes?: number;

  /** Seconds from now, added to `hours` and `minutes`. */
  @ApiPropertyOptional({ maximum: YEARS_10_S })
  @IsOptional()
  @IsNumber(finite)
  @Min(0)
  @Max(YEARS_10_S)
  seconds?: number;

  /** When it is due, with a time zone (`Z` or ±hh:mm): at most 10 years ahead, at most 24 hours past (then at once); not with hours/minutes/seconds. */
  @ApiDateTime({ example: '2026-11-23T09:00:00.000Z' })
  @IsOptional()
  @IsDueAtString()
  dueAt?: string;

  /** Not an input: carries the rule that exactly one way of saying "when" is used. */
  @ApiHideProperty()
  @SatisfiesRule(delayFormProblem)
  readonly when?: never;
}

/** The validated body's due time for a command: the dueAt as a Date, or the delay in milliseconds. */
export function dueTimeOf(body: DueTimeDto): DueTime {
  if (body.dueAt != null) return { dueAt: new Date(body.dueAt) }; // null as absent: new Date(null) would be 1970
  return { delayMs: ((body.hours ?? 0) * 3600 + (body.minutes ?? 0) * 60 + (body.seconds ?? 0)) * 1000 };
}
