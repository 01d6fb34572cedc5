import { SCHEDULE } from '../schedule-aggregate';
import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CLOCK, Clock, invalid } from '@herald/kernel';
import { ApiErrors, ApiIdParam, Caller, PageQueryDto, Principal, RequireScope, ownerFor } from '@herald/platform';
import { HistoryEventDto, StreamHistoryQuery, historyResponse, OwnedBy } from '@herald/runtime';
import { CronRule, ScheduleSpec, scheduleNotFound, scheduleStream } from '../domain';
import { PreviewDto } from '../commands/schedule.dto';
import { ListSchedulesDto, PreviewQueryDto } from './schedule-queries.dto';
import { GetScheduleQuery, ListRunsQuery, ListSchedulesQuery } from './schedule-queries';
import { toRunResponse } from './schedule-runs';
import { ScheduleView, toScheduleResponse } from './schedule-view';
import { OccurrencesDto, ScheduleDto, SchedulePageDto, ScheduleRunPageDto } from './schedule-response.dto';
import { redactScheduleEvent } from './schedule-feed';

const PREVIEW_DEFAULT_COUNT = 10;

/** The read side of schedules, and the occurrence previews (computed exactly as firing computes them). */
@ApiTags('schedules')
@OwnedBy(SCHEDULE)
@Controller('api/v1/schedules')
export class ScheduleQueriesController {
  constructor(
    private readonly queries: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOperation({ operationId: 'schedules.list', summary: 'List schedules, a page at a time (newest first)' })
  @ApiOkResponse({ type: SchedulePageDto })
  @ApiErrors(400)
  async list(@Query() query: ListSchedulesDto, @Caller() caller: Principal) {
    const page = await this.queries.execute(new ListSchedulesQuery({ ...query, owner: ownerFor(caller, query.owner) ?? undefined }));
    return { items: page.items.map((v) => toScheduleResponse(v.state)), nextCursor: page.nextCursor };
  }

  /** What a form shows while you type: the occurrences of a schedule not yet created. Writes nothing: a read. */
  @RequireScope('read')
  @Post('preview')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'schedules.previewNew',
    summary: 'The upcoming occurrences of a cron not yet saved as a schedule',
    description: 'What a form shows while you type; writes nothing (scope `read`).',
  })
  @ApiOkResponse({ type: OccurrencesDto })
  @ApiErrors(400)
  previewNew(@Body() body: PreviewDto) {
    const spec = { cron: body.cron, timeZone: body.timeZone ?? 'UTC', startAt: null, endAt: null };
    return this.preview(spec, body.count, body.from);
  }

  @Get(':id')
  @ApiOperation({
    operationId: 'schedules.get',
    summary: 'Read a schedule',
    description:
      'From the read side, or from the log while the read side has yet to catch up: a schedule created a moment ago is found at once (lists may take milliseconds to show it).',
  })
  @ApiIdParam('schedule')
  @ApiOkResponse({ type: ScheduleDto })
  @ApiErrors(400, 404)
  async get(@Param('id', new ParseUUIDPipe()) id: string) {
    return toScheduleResponse((await this.find(id)).state);
  }

  @Get(':id/preview')
  @ApiOperation({
    operationId: 'schedules.preview',
    summary: "A schedule's upcoming occurrences",
    description:
      'An `Ended` schedule (deleted, or past its `endAt`) answers `{ occurrences: [] }`: it will never fire again. A `Paused` one previews what it would fire once resumed.',
  })
  @ApiIdParam('schedule')
  @ApiOkResponse({ type: OccurrencesDto })
  @ApiErrors(400, 404)
  async previewExisting(@Param('id', new ParseUUIDPipe()) id: string, @Query() query: PreviewQueryDto) {
    const { state } = await this.find(id);
    if (state.status === 'Ended') return { occurrences: [] };
    return this.preview(state.spec, query.count, query.from);
  }

  @Get(':id/runs')
  @ApiOperation({ operationId: 'schedules.runs', summary: "A schedule's occurrences and what became of each, newest first" })
  @ApiIdParam('schedule')
  @ApiOkResponse({ type: ScheduleRunPageDto })
  @ApiErrors(400, 404)
  async runs(@Param('id', new ParseUUIDPipe()) id: string, @Query() query: PageQueryDto) {
    await this.find(id);
    const page = await this.queries.execute(new ListRunsQuery(id, query));
    return { items: page.items.map(toRunResponse), nextCursor: page.nextCursor };
  }

  @Get(':id/events')
  @ApiOperation({
    operationId: 'schedules.events',
    summary: "The schedule's events, in order",
    description: 'Read from the log itself, not the read side; a reminder target’s header values are redacted.',
  })
  @ApiIdParam('schedule')
  @ApiOkResponse({ type: [HistoryEventDto] })
  @ApiErrors(400, 404)
  async history(@Param('id', new ParseUUIDPipe()) id: string) {
    const events = await this.queries.execute(new StreamHistoryQuery(scheduleStream(id)));
    if (events.length === 0) throw notFound(id);
    return historyResponse(events, redactScheduleEvent);
  }

  private preview(spec: Pick<ScheduleSpec, 'cron' | 'timeZone' | 'startAt' | 'endAt'>, count = PREVIEW_DEFAULT_COUNT, from?: string) {
    let rule: CronRule;
    try {
      rule = CronRule.of(spec.cron, spec.timeZone);
    } catch (error) {
      throw invalid('InvalidSchedule', (error as Error).message);
    }
    const after = Math.max(from ? Date.parse(from) : this.clock.now().getTime(), spec.startAt ? Date.parse(spec.startAt) - 1 : -Infinity);
    const until = spec.endAt ? new Date(spec.endAt) : undefined;
    return { occurrences: rule.upcoming(new Date(after), count, until).map((d) => d.toISOString()) };
  }

  private async find(id: string): Promise<ScheduleView> {
    const view = await this.queries.execute(new GetScheduleQuery(id));
    if (!view) throw notFound(id);
    return view;
  }
}

/** The domain's own answer, so an unknown id and another owner's read the same (see OwnedBy). */
const notFound = scheduleNotFound;
