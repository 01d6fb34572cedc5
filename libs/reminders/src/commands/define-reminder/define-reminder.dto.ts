import { IsInt, IsISO8601, IsNumber, IsOptional, Matches, Max, Min } from 'class-validator';
import { addressProblem, headersProblem, REMINDER_LIMITS } from '../../domain';
import { SatisfiesRule } from '@herald/platform';

const YEARS_10_S = REMINDER_LIMITS.maxDelayMs / 1000;
const finite = { allowNaN: false, allowInfinity: false };

function delayFormProblem(_: unknown, o: object): string | null {
  const body = o as DefineReminderDto;
  const relative = [body.hours, body.minutes, body.seconds].some((v) => v !== undefined);
  if (relative && body.dueAt !== undefined) return 'give either dueAt or hours/minutes/seconds, not both';
  if (!relative && body.dueAt === undefined) return 'give when the reminder is due: dueAt, or hours/minutes/seconds';
  return null;
}

/** POST /api/v1/reminders. The Reminders service's body, plus dueAt and delivery options. */
export class DefineReminderDto {
  @IsOptional()
  @IsNumber(finite)
  @Min(0)
  @Max(YEARS_10_S / 3600)
  hours?: number;

  @IsOptional()
  @IsNumber(finite)
  @Min(0)
  @Max(YEARS_10_S / 60)
  minutes?: number;

  @IsOptional()
  @IsNumber(finite)
  @Min(0)
  @Max(YEARS_10_S)
  seconds?: number;

  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true }, { message: 'dueAt must be an ISO-8601 date-time such as 2026-11-23T09:00:00.000Z' })
  @Matches(/(Z|[+-]\d{2}:\d{2})$/, { message: 'dueAt must end with a time zone (Z or ±hh:mm)' })
  dueAt?: string;

  /** Not an input: carries the rule that exactly one way of saying "when" is used. */
  @SatisfiesRule(delayFormProblem)
  readonly when?: never;

  @SatisfiesRule(addressProblem)
  address!: string;

  @IsOptional()
  payload?: unknown;

  @IsOptional()
  @SatisfiesRule(headersProblem)
  headers?: Record<string, string>;

  @IsOptional()
  @IsInt()
  @Min(REMINDER_LIMITS.minAttempts)
  @Max(REMINDER_LIMITS.maxAttempts)
  maxAttempts?: number;

  @IsOptional()
  @IsInt()
  @Min(REMINDER_LIMITS.minTimeoutMs)
  @Max(REMINDER_LIMITS.maxTimeoutMs)
  timeoutMs?: number;
}
