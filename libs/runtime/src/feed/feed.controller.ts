import { Controller, Get, Headers, HttpException, Logger, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, Caller, HeraldConfig, Principal, ownerFor } from '@herald/platform';
import { FeedClient } from './feed-client';
import { FeedFilter, listOf } from './feed-filter';
import { FeedHub } from './feed-hub';
import { feedToken, positionOfToken } from './feed-token';
import { FeedQueryDto } from './feed.dto';

/**
 * `GET /api/v1/stream`: the log as Server-Sent Events (see FeedClient for
 * the guarantees). Resumes after `Last-Event-ID` (what EventSource sends on
 * a reconnect) or `?after=`; without either, from the live end. A key limited
 * to an owner gets that owner's events only, as in the lists.
 */
@ApiTags('feed')
@Controller('api/v1/stream')
export class FeedController {
  private readonly logger = new Logger('Feed');

  constructor(
    private readonly hub: FeedHub,
    private readonly config: HeraldConfig,
  ) {}

  @Get()
  @ApiOperation({
    operationId: 'feed.stream',
    summary: 'The live feed: the log as Server-Sent Events',
    description:
      'Each event of the log, as it is recorded, that the filters match (they combine with AND; the comma lists match any of their ' +
      'items); a key limited to an owner gets that owner’s events only. Starts at the live end, or resumes right after `Last-Event-ID` ' +
      '(what EventSource sends on a reconnect) or `?after=`: exactly the events missed, in log order. Comment lines (`: keep-alive`) ' +
      'keep an idle connection open (FEED_KEEPALIVE_MS).',
  })
  @ApiHeader({
    name: 'last-event-id',
    required: false,
    description: 'Resume after this message id (EventSource sends the last one it received on a reconnect); wins over `?after=`.',
    schema: { type: 'string' },
  })
  // The media type on the 200 itself, not @ApiProduces: that would put every response of the route, the JSON refusals
  // of @ApiErrors included, under text/event-stream.
  @ApiOkResponse({
    description: [
      'A stream of Server-Sent Events (`text/event-stream`), one message per event of the log:',
      '',
      '```',
      'id: <an opaque position token: pass it back as Last-Event-ID or ?after= to resume after this event>',
      'event: <the event type, e.g. ReminderDefined>',
      'data: {"category":"reminder","id":"<resource id>","stream":"reminder-<id>","type":"ReminderDefined","revision":0,"data":{…},"recordedAt":"2026-11-24T10:00:00.000Z"}',
      '```',
      '',
      '`data` is one line of JSON: `category` (`reminder`, `task`, `schedule`, `notification`), `id` (the resource’s id), `stream`, ' +
        '`type` (as `event:`), `revision` (its position in the resource’s stream, from 0), `data` (what the event records, as ' +
        '`/events` shows it: header values and lease secrets redacted) and `recordedAt`.',
    ].join('\n'),
    content: { 'text/event-stream': { schema: { type: 'string' } } },
    headers: {
      'herald-feed-position': {
        description:
          'The position the feed starts after (absent on an empty log): resume with it as Last-Event-ID when the connection drops before the first message.',
        schema: { type: 'string' },
      },
    },
  })
  @ApiErrors(400, 503)
  async stream(
    @Query() query: FeedQueryDto,
    @Caller() caller: Principal,
    @Res() reply: FastifyReply,
    @Headers('last-event-id') lastEventId?: string,
  ): Promise<void> {
    const filter = this.filterOf(query, caller);
    // An empty Last-Event-ID is no id (EventSource sends none before its first message).
    const header = lastEventId === '' ? undefined : lastEventId;
    const token = header ?? query.after;
    const named = header !== undefined ? 'Last-Event-ID' : 'after';
    const after = token === undefined ? null : positionOfToken(token, this.hub.events);
    if (token !== undefined && after === null) throw badRequest(`${named} is not an id this feed gave out`);
    await this.hub.ensureStarted();
    // An id past the log's head comes from another log (a restored or replaced one): resuming there would skip events.
    if (after !== null) {
      const head = await this.hub.events.headPosition();
      if (head === null || this.hub.events.comparePositions(after, head) > 0)
        throw badRequest(`${named} is ahead of this log: it is from another one`);
    }
    if (this.hub.clientCount >= this.config.FEED_MAX_CLIENTS) return this.full(reply);
    // Without an id, the live end is the log's head now, not the hub's position: the hub's subscription may not have
    // read the latest commits yet, and an event recorded before the client came must not reach it.
    const from = after ?? (await this.hub.events.headPosition());
    reply.hijack();
    const response = reply.raw;
    const client = new FeedClient(this.hub, response, filter, from);
    const start = client.position;
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // nginx and others buffer responses unless told not to.
      'x-accel-buffering': 'no',
      // Where this feed starts (after): a client that drops before its first message resumes here, not at a later live end.
      ...(start !== null ? { 'herald-feed-position': feedToken(start) } : {}),
    });
    // HEAD (Fastify's implicit one of this GET): the head alone. Node ignores writes to a HEAD response and would send
    // its headers only with end(), so without this the caller would wait for ever.
    if (reply.request.method === 'HEAD') {
      response.end();
      return;
    }
    // A first line at once: clients see the connection open, proxies forward the headers now. Its `id:` (a block
    // without data: no event) sets an EventSource's last event id to the start, for the same reason as the header.
    response.write(`: herald feed\n${start !== null ? `id: ${feedToken(start)}\n` : ''}\n`);
    this.logger.debug({ keyId: caller.keyId, resumed: after !== null, clients: this.hub.clientCount + 1 }, 'feed client connected');
    void client.run();
  }

  /**
   * Past FEED_MAX_CLIENTS. An EventSource (it sends `Accept: text/event-stream`)
   * gives up for good on any status but 200, so it gets a 200 that only says
   * `retry:` and ends: it comes back in 5 s. Other callers get a 503 with
   * Retry-After.
   */
  private full(reply: FastifyReply): void {
    const message = `this process serves ${this.config.FEED_MAX_CLIENTS} feeds already (FEED_MAX_CLIENTS); retry later`;
    this.logger.warn({ clients: this.hub.clientCount }, 'feed full: a client turned away');
    if (String(reply.request.headers.accept ?? '').includes('text/event-stream')) {
      void reply.header('content-type', 'text/event-stream; charset=utf-8').header('cache-control', 'no-cache').send(`retry: 5000\n: ${message}\n\n`);
      return;
    }
    void reply.header('retry-after', '5');
    throw new HttpException({ statusCode: 503, error: 'Service Unavailable', code: 'FeedFull', message }, 503);
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
