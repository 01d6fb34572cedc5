import { IsOptional } from 'class-validator';
import { SatisfiesRule } from '@herald/platform';
import { channelProblem, messageProblem, ownerProblem } from '../domain';

/** POST /api/v1/notifications. Rules are the domain's own, so the HTTP layer and the decider say the same thing. */
export class PublishNotificationDto {
  /** Default `general`. */
  @IsOptional()
  @SatisfiesRule(channelProblem)
  channel?: string;

  @SatisfiesRule(messageProblem)
  message!: string;

  /** Any JSON, at most PAYLOAD_MAX_BYTES serialised. */
  @IsOptional()
  data?: unknown;

  @IsOptional()
  @SatisfiesRule(ownerProblem)
  owner?: string;
}
