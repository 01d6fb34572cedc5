import { SCHEDULE } from '../schedule-aggregate';
import { Body, Controller, Delete, Headers, HttpCode, Logger, Param, ParseUUIDPipe, Patch, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CATCHUP_DEFAULTS, Catchup, OVERLAP_DEFAULT, ScheduleCommand, ScheduleSpec, ScheduleState, ScheduleTarget } from '../domain';
import { toScheduleResponse } from '../queries/schedule-view';
import { ScheduleCommands } from './schedule-commands';
import { CreateRoute, IdempotentCreation, OwnedBy, WithoutClock, createResource } from '@herald/runtime';
import { ApiErrors, ApiIdParam, Caller, Principal, RequestTraceparent, ownerFor } from '@herald/platform';
import { ScheduleDto } from '../queries/schedule-response.dto';
import { CreateScheduleDto, PauseScheduleDto, ScheduleFieldsDto, UpdateScheduleDto } from './schedule.dto';

/**
 * Define and steer schedules. Answers come from the write side (the state the
 * command left), so they never lag behind the read model: 201 for a new
 * schedule, 200 for the rest; 404 unknown, 409 where the state does not allow it.
 */
@ApiTags('schedules')
@OwnedBy(SCHEDULE)
@Controller('api/v1/schedules')
export class ScheduleCommandsController {
  private readonly logger = new Logger('Schedules');

  constructor(
    private readonly schedules: ScheduleCommands,
    private readonly idempotent: IdempotentCreation,
  ) {}

  @CreateRoute({ status: 201, type: ScheduleDto, description: 'Created' })
  @ApiOperation({
    operationId: 'schedules.create',
    summary: 'Create a schedule',
    description: 'Each occurrence of `cron` in `timeZone` defines a reminder or enqueues a task (`target`), exactly once.',
  })
  async create(
    @Body() body: CreateScheduleDto,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Caller() caller: Principal,
    @RequestTraceparent() traceparent: string,
    @Headers('idempotency-key') idempotencyKey?: string,
  ) {
    this.schedules.assertTarget(body.target);
    const spec: ScheduleSpec = {
      cron: body.cron,
      timeZone: body.timeZone ?? 'UTC',
      target: ownTarget(caller, body.target),
      overlap: body.overlap ?? OVERLAP_DEFAULT,
      catchup: catchupOf(body, CATCHUP_DEFAULTS),
      // null as absent: no bound (new Date(null) would be 1970).
      startAt: body.startAt == null ? null : new Date(body.startAt).toISOString(),
      endAt: body.endAt == null ? null : new Date(body.endAt).toISOString(),
    };
    const state = await createResource(
      this.idempotent,
      { body, reply, caller, traceparent, idempotencyKey },
      {
        kind: 'schedule',
        collection: '/api/v1/schedules',
        create: async (scheduleId, { commandId, owner }) => {
          const created = await this.schedules.run(
            { type: 'CreateSchedule', scheduleId, spec, owner, paused: body.paused ?? false },
            { expected: 'no_stream', commandId, traceparent },
          );
          this.logger.log({ scheduleId, cron: spec.cron, timeZone: spec.timeZone, nextRunAt: created.state!.nextRunAt }, 'schedule created');
          return created.state!;
        },
        replay: (scheduleId) => this.schedules.current(scheduleId),
        createdAtOf: (schedule) => schedule.createdAt,
        idOf: (schedule) => schedule.scheduleId,
      },
    );
    return toScheduleResponse(state);
  }

  /** Takes effect from the next occurrence. */
  @Patch(':id')
  @HttpCode(200)
  @ApiOperation({ operationId: 'schedules.update', summary: 'Change a schedule from its next occurrence on' })
  @ApiIdParam('schedule')
  @ApiOkResponse({ type: ScheduleDto })
  @ApiErrors(400, 404, 409)
  async update(
    @Param('id', new ParseUUIDPipe()) scheduleId: string,
    @Body() body: UpdateScheduleDto,
    @Caller() caller: Principal,
    @RequestTraceparent() traceparent: string,
  ) {
    if (body.target !== undefined) this.schedules.assertTarget(body.target);
    return this.act({ type: 'UpdateSchedule', scheduleId, changes: await this.changesOf(scheduleId, body, caller) }, traceparent);
  }

  /** No further runs; its history stays readable. */
  @Delete(':id')
  @HttpCode(200)
  @ApiOperation({ operationId: 'schedules.delete', summary: 'Delete a schedule: no further runs, its history stays readable' })
  @ApiIdParam('schedule')
  @ApiOkResponse({ type: ScheduleDto })
  @ApiErrors(400, 404, 409)
  remove(@Param('id', new ParseUUIDPipe()) scheduleId: string, @RequestTraceparent() traceparent: string) {
    return this.act({ type: 'DeleteSchedule', scheduleId }, traceparent);
  }

  @Post(':id/pause')
  @HttpCode(200)
  @ApiOperation({ operationId: 'schedules.pause', summary: 'Pause a schedule: nothing fires until it is resumed' })
  @ApiIdParam('schedule')
  @ApiBody({ type: PauseScheduleDto, required: false })
  @ApiOkResponse({ type: ScheduleDto })
  @ApiErrors(400, 404, 409)
  pause(@Param('id', new ParseUUIDPipe()) scheduleId: string, @Body() body: PauseScheduleDto = {}, @RequestTraceparent() traceparent: string) {
    return this.act({ type: 'PauseSchedule', scheduleId, note: body.note }, traceparent);
  }

  @Post(':id/resume')
  @HttpCode(200)
  @ApiOperation({ operationId: 'schedules.resume', summary: 'Resume a paused schedule from its next occurrence' })
  @ApiIdParam('schedule')
  @ApiOkResponse({ type: ScheduleDto })
  @ApiErrors(400, 404, 409)
  resume(@Param('id', new ParseUUIDPipe()) scheduleId: string, @RequestTraceparent() traceparent: string) {
    return this.act({ type: 'ResumeSchedule', scheduleId }, traceparent);
  }

  /** One extra run now, outside the cron (under the overlap policy). */
  @Post(':id/trigger')
  @HttpCode(200)
  @ApiOperation({ operationId: 'schedules.trigger', summary: 'Fire one extra occurrence now, outside the cron (under the overlap policy)' })
  @ApiIdParam('schedule')
  @ApiOkResponse({ type: ScheduleDto })
  @ApiErrors(400, 404, 409)
  trigger(@Param('id', new ParseUUIDPipe()) scheduleId: string, @RequestTraceparent() traceparent: string) {
    return this.act({ type: 'TriggerSchedule', scheduleId }, traceparent);
  }

  private async act(command: WithoutClock<ScheduleCommand>, traceparent: string) {
    const { state, events } = await this.schedules.run(command, { traceparent });
    this.logger.log({ scheduleId: command.scheduleId, events: events.map((e) => e.type) }, `schedule ${command.type}`);
    return toScheduleResponse(state as ScheduleState);
  }

  /** catchup fields merge into the schedule's current catch-up settings. */
  private async changesOf(scheduleId: string, body: UpdateScheduleDto, caller: Principal): Promise<Partial<ScheduleSpec>> {
    const changes: Partial<ScheduleSpec> = {};
    if (body.cron !== undefined) changes.cron = body.cron;
    if (body.timeZone !== undefined) changes.timeZone = body.timeZone;
    if (body.target !== undefined) changes.target = ownTarget(caller, body.target);
    if (body.overlap !== undefined) changes.overlap = body.overlap;
    // endAt null clears the end: the schedule runs on with no bound.
    if (body.endAt !== undefined) changes.endAt = body.endAt === null ? null : new Date(body.endAt).toISOString();
    if (body.catchup !== undefined || body.catchupMax !== undefined || body.catchupWindowMs !== undefined) {
      const current = await this.schedules.current(scheduleId);
      changes.catchup = catchupOf(body, current?.spec.catchup ?? CATCHUP_DEFAULTS);
    }
    return changes;
  }
}

/** A task target's owner is the caller's key's, like the schedule's own (a reminder target takes the schedule's). */
function ownTarget(caller: Principal, target: ScheduleTarget): ScheduleTarget {
  if (caller.owner === null || !('task' in target)) return target;
  return { task: { ...target.task, owner: ownerFor(caller, target.task.owner) ?? undefined } };
}

function catchupOf(body: ScheduleFieldsDto, base: Catchup): Catchup {
  return { policy: body.catchup ?? base.policy, max: body.catchupMax ?? base.max, windowMs: body.catchupWindowMs ?? base.windowMs };
}
