import { IsOptional, IsString, MaxLength } from 'class-validator';

/** GET /api/v1/stream: filters combine with AND; the comma lists match any of their items. */
export class FeedQueryDto {
  /** Comma list of `reminder`, `task`, `schedule`, `notification`. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  category?: string;

  /** One resource's events (its id). */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  id?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  owner?: string;

  /** Comma list of event types (`ReminderCompleted,TaskFailed`). */
  @IsOptional()
  @IsString()
  @MaxLength(2_000)
  type?: string;

  /** Comma list of notification channels: only notifications on them. */
  @IsOptional()
  @IsString()
  @MaxLength(2_000)
  channel?: string;

  /** Resume after this message id (what `Last-Event-ID` says on a reconnect, which wins over it). */
  @IsOptional()
  @IsString()
  @MaxLength(300)
  after?: string;
}
