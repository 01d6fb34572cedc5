import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';

/** The paging half of every list endpoint's query: `limit` 1–500 (default 50) and an opaque `cursor` from a previous page. */
export class PageQueryDto {
  /** Items per page. */
  @ApiPropertyOptional({ type: 'integer' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 50;

  /** A previous page's `nextCursor`, for the page after it. */
  @IsOptional()
  @IsString()
  cursor?: string;
}
