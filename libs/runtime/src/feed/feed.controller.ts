import { Controller, Get, Headers, HttpException, Logger, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Caller, HeraldConfig, Principal, ownerFor } from '@herald/platform';
import { FeedClient } from './feed-client';
import { FeedFilter, listOf } from './feed-filter';
import { FeedHub } from './feed-hub';
import { positionOfToken } from './feed-token';
import { FeedQueryDto } from './feed.dto';

/**
 * `GET /api/v1/stream`: the log as Server-Sent Events (see FeedClient for
 * the guarantees). Resumes after `Last-Event-ID` (what EventSource sends on
 * a reconnect) or `?after=`; without either, from the live end. A key limited
 * to an owner gets that owner's events only, as in the lists.
 */
@Controller('api/v1/stream')
export class FeedController {
  private readonly logger = new Logger('Feed');

  constructor(
    private readonly hub: FeedHub,
    private readonly config: HeraldConfig,
  ) {}

  @Get()
  async stream(
    @Query() query: FeedQueryDto,
    @Caller() caller: Principal,
    @Res() reply: FastifyReply,
    @Headers('last-event-id') lastEventId?: string,
  ): Promise<void> {
    const filter = this.filterOf(query, caller);
    const token = lastEventId ?? query.after;
    const after = token === undefined ? null : positionOfToken(token, this.hub.events);
    if (token !== undefined && after === null)
      throw badRequest(`${lastEventId !== undefined ? 'Last-Event-ID' : 'after'} is not an id this feed gave out`);
    if (this.hub.clientCount >= this.config.FEED_MAX_CLIENTS) {
      void reply.header('retry-after', '5');
      throw new HttpException(
        {
          statusCode: 503,
          error: 'Service Unavailable',
          code: 'FeedFull',
          message: `this process serves ${this.config.FEED_MAX_CLIENTS} feeds already (FEED_MAX_CLIENTS); retry later`,
        },
        503,
      );
    }
    await this.hub.ensureStarted();
    reply.hijack();
    const response = reply.raw;
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // nginx and others buffer responses unless told not to.
      'x-accel-buffering': 'no',
    });
    // A first line at once: clients see the connection open, proxies forward the headers now.
    response.write(': herald feed\n\n');
    this.logger.debug({ keyId: caller.keyId, resumed: after !== null, clients: this.hub.clientCount + 1 }, 'feed client connected');
    void new FeedClient(this.hub, response, filter, after).run();
  }

  private filterOf(query: FeedQueryDto, caller: Principal): FeedFilter {
    const categories = listOf(query.category);
    const known = this.hub.sources.all().map((s) => s.category);
    const unknown = categories && [...categories].find((c) => !known.includes(c));
    if (unknown !== undefined) throw badRequest(`category must be a comma-separated list of ${known.join(', ')} (got ${JSON.stringify(unknown)})`);
    const owner = ownerFor(caller, query.owner);
    return {
      categories,
      id: query.id,
      owner: owner ?? undefined,
      types: listOf(query.type),
      channels: listOf(query.channel),
    };
  }
}

const badRequest = (message: string) => new HttpException({ statusCode: 400, error: 'Bad Request', code: 'InvalidFeedQuery', message }, 400);
