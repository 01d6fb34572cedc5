import { ApiProperty } from '@nestjs/swagger';

/**
 * The one body of every refusal (API-CONVENTIONS: `{ statusCode, error, code, message }`), whoever
 * answers it: the exception filter, the validation pipe, the authentication hook, the rate limits.
 */
export class ErrorResponseDto {
  /** The HTTP status, repeated. */
  @ApiProperty({ type: 'integer', example: 404 })
  statusCode!: number;

  /** The status's reason phrase. */
  @ApiProperty({ example: 'Not Found' })
  error!: string;

  /** What went wrong, for programs to branch on. */
  @ApiProperty({ example: 'ReminderNotFound' })
  code!: string;

  /** For people: a sentence; for invalid input (`ValidationFailed`) a list naming each field and the rule it broke. */
  @ApiProperty({ oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }], example: 'reminder 1caf0e8f-… not found' })
  message!: string | string[];
}
