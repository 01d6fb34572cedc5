import { Module } from '@nestjs/common';
import { FeedController } from './feed.controller';
import { FeedHub } from './feed-hub';
import { RUNTIME_API_DOCS } from '../api-docs';

/** The live feed (GET /api/v1/stream) over every feed source the service's capabilities registered: the query API and the all-in-one serve it. */
@Module({ controllers: [FeedController], providers: [FeedHub, RUNTIME_API_DOCS] })
export class FeedModule {}
