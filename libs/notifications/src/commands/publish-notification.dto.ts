import { IsOptional } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiJsonValue, SatisfiesRule } from '@herald/platform';
import { MAX_OWNER_LENGTH } from '@herald/kernel';
import { DEFAULT_CHANNEL, MAX_CHANNEL_LENGTH, MAX_MESSAGE_LENGTH, channelProblem, messageProblem, ownerProblem } from '../domain';

/** POST /api/v1/notifications. Rules are the domain's own, so the HTTP layer and the decider say the same thing. */
export class PublishNotificationDto {
  /** Where it is published: visible characters without whitespace or commas (`team-billing`, `task:3f6b2a0e-…`). Default `general`. */
  @ApiPropertyOptional({ minLength: 1, maxLength: MAX_CHANNEL_LENGTH, default: DEFAULT_CHANNEL, example: 'team-billing' })
  @IsOptional()
  @SatisfiesRule(channelProblem)
  channel?: string;

  /** For people: what happened. */
  @ApiProperty({ minLength: 1, maxLength: MAX_MESSAGE_LENGTH, example: 'The monthly report is ready' })
  @SatisfiesRule(messageProblem)
  message!: string;

  /** Any JSON, at most PAYLOAD_MAX_BYTES serialised. */
  @ApiJsonValue()
  @IsOptional()
  data?: unknown;

  /** Whose notification it is; an API key with an owner sets its own (a different one is a 403). */
  @ApiPropertyOptional({ minLength: 1, maxLength: MAX_OWNER_LENGTH })
  @IsOptional()
  @SatisfiesRule(ownerProblem)
  owner?: string;
}
