import { Transform } from 'class-transformer';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { ApiCommaList, PageQueryDto, SatisfiesRule } from '@herald/platform';
import { channelProblem } from '../domain';

function channelsProblem(value: unknown): string | null {
  const bad = (value as string[]).find((c) => channelProblem(c) !== null);
  return bad === undefined ? null : `channel must be a comma-separated list of channels; ${channelProblem(bad)} (got ${JSON.stringify(bad)})`;
}

/** GET /api/v1/notifications: filters combine with AND; `channel` takes a comma list (any of them). */
export class ListNotificationsDto extends PageQueryDto {
  /** Only notifications on any of these channels: a comma list (`general,team-billing`). */
  @ApiCommaList()
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').map((s) => s.trim()) : value))
  @SatisfiesRule(channelsProblem)
  channel?: string[];

  /** Only this owner's notifications (an API key with an owner sees only its own, whatever is asked). */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  owner?: string;
}
