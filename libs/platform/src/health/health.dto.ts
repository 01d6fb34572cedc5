import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';

/** Each probe by name (`store`, `query.reminder-views`, `task-queue`, …): `up` or `down`, with what it reports. */
const PROBES: ApiPropertyOptions = {
  type: 'object',
  additionalProperties: {
    type: 'object',
    properties: { status: { type: 'string', enum: ['up', 'down'] } },
    required: ['status'],
    additionalProperties: true,
  },
};

/** GET /health when every probe is up (Terminus' answer). */
export class HealthDto {
  @ApiProperty({ enum: ['ok', 'error', 'shutting_down'] })
  status!: 'ok' | 'error' | 'shutting_down';

  /** The probes that are up. */
  @ApiPropertyOptional(PROBES)
  info?: Record<string, unknown>;

  /** The probes that are down. */
  @ApiPropertyOptional(PROBES)
  error?: Record<string, unknown>;

  /** Every probe. */
  @ApiProperty(PROBES)
  details!: Record<string, unknown>;
}
