import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { addressProblem, headersProblem, REMINDER_LIMITS } from '../../domain';
import { ApiJsonValue, SatisfiesRule } from '@herald/platform';
import { MAX_OWNER_LENGTH, ownerProblem } from '@herald/kernel';
import { DueTimeDto } from '../due-time/due-time.dto';

/** POST /api/v1/reminders. The Reminders service's body, plus dueAt and delivery options. */
@ApiSchema({ description: 'When it is due: `dueAt`, or `hours`/`minutes`/`seconds` from now (added together), never both.' })
export class DefineReminderDto extends DueTimeDto {
  /** Where the callback goes: an absolute http(s) URL without credentials (pass those in `headers`). */
  @ApiProperty({ format: 'uri', maxLength: REMINDER_LIMITS.maxAddressLength, example: 'https://example.com/hooks/remind' })
  @SatisfiesRule(addressProblem)
  address!: string;

  /** Sent back in the callback as it is (at most PAYLOAD_MAX_BYTES of JSON). */
  @ApiJsonValue()
  @IsOptional()
  payload?: unknown;

  /** Headers the callback sends (names are HTTP tokens; Herald's own and `Herald-*` are reserved). Values are never shown again. */
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string', maxLength: REMINDER_LIMITS.maxHeaderValueLength },
    maxProperties: REMINDER_LIMITS.maxHeaders,
  })
  @IsOptional()
  @SatisfiesRule(headersProblem)
  headers?: Record<string, string>;

  /** Attempts before it fails (default DEFAULT_MAX_ATTEMPTS). */
  @ApiPropertyOptional({ type: 'integer', minimum: REMINDER_LIMITS.minAttempts, maximum: REMINDER_LIMITS.maxAttempts })
  @IsOptional()
  @IsInt()
  @Min(REMINDER_LIMITS.minAttempts)
  @Max(REMINDER_LIMITS.maxAttempts)
  maxAttempts?: number;

  /** How long one callback may take (default DEFAULT_TIMEOUT_MS). */
  @ApiPropertyOptional({ type: 'integer', minimum: REMINDER_LIMITS.minTimeoutMs, maximum: REMINDER_LIMITS.maxTimeoutMs })
  @IsOptional()
  @IsInt()
  @Min(REMINDER_LIMITS.minTimeoutMs)
  @Max(REMINDER_LIMITS.maxTimeoutMs)
  timeoutMs?: number;

  /** Whose reminder it is; an API key with an owner sets its own (a different one is a 403). */
  @ApiPropertyOptional({ minLength: 1, maxLength: MAX_OWNER_LENGTH })
  @IsOptional()
  @SatisfiesRule(ownerProblem)
  owner?: string;
}
