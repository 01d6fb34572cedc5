import { Body, Controller, Headers, HttpCode, Logger, Post, Res } from '@nestjs/common';
import { CommandRunner, IdempotentCreation, idempotencyKeyOf } from '@herald/runtime';
import { TASK } from '../../task-aggregate';
import type { FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import {
  ApiErrors,
  ApiIdempotencyKey,
  Caller,
  HeraldConfig,
  IDEMPOTENT_REPLAYED_HEADER,
  LOCATION_HEADER,
  Principal,
  RETRY_AFTER_HEADER,
  assertJsonWithin,
  ownerFor,
  RequestTraceparent,
} from '@herald/platform';
import { ApiAcceptedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TaskDto } from '../../queries/task-response.dto';
import { toTaskResponse } from '../../queries/task-response';
import { TaskCommands } from '../task-commands';
import { EnqueueTaskDto } from './enqueue-task.dto';

export const TASK_DEFAULTS = { priority: 0, maxAttempts: 3, heartbeatTimeoutMs: 30_000 } as const;

@ApiTags('tasks')
@Controller('api/v1/tasks')
export class EnqueueTaskController {
  private readonly logger = new Logger('EnqueueTask');

  constructor(
    private readonly tasks: TaskCommands,
    private readonly config: HeraldConfig,
    private readonly idempotent: IdempotentCreation,
    private readonly runner: CommandRunner,
  ) {}

  /** 202: accepted for a worker to run; poll Location or its /status. */
  @Post()
  @HttpCode(202)
  @ApiOperation({
    operationId: 'tasks.enqueue',
    summary: 'Enqueue a task for a worker to run',
    description: 'Accepted: a worker leasing its type runs it. Poll `Location` or its `/status`.',
  })
  @ApiIdempotencyKey()
  @ApiAcceptedResponse({
    type: TaskDto,
    description: 'Queued',
    headers: { ...LOCATION_HEADER, ...RETRY_AFTER_HEADER, ...IDEMPOTENT_REPLAYED_HEADER },
  })
  @ApiErrors(400, 422)
  async enqueue(
    @Body() body: EnqueueTaskDto,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Caller() caller: Principal,
    @RequestTraceparent() traceparent: string,
    @Headers('idempotency-key') idempotencyKey?: string,
  ) {
    assertJsonWithin('params', body.params, this.config.PAYLOAD_MAX_BYTES);
    const owner = ownerFor(caller, body.owner);
    const key = idempotencyKeyOf(idempotencyKey, { kind: 'task', owner, route: 'POST /api/v1/tasks', body });
    const view = await this.idempotent.create(key, reply, {
      freshId: randomUUID,
      traceparent,
      create: async (taskId, commandId) => {
        await this.tasks.run(
          {
            type: 'EnqueueTask',
            taskId,
            taskType: body.type,
            params: body.params ?? null,
            owner,
            tags: body.tags ?? [],
            priority: body.priority ?? TASK_DEFAULTS.priority,
            runAt: body.runAt == null ? null : new Date(body.runAt), // null as absent: now
            maxAttempts: body.maxAttempts ?? TASK_DEFAULTS.maxAttempts,
            heartbeatTimeoutMs: body.heartbeatTimeoutMs ?? TASK_DEFAULTS.heartbeatTimeoutMs,
          },
          { expected: 'no_stream', commandId, traceparent },
        );
        this.logger.debug({ taskId, type: body.type }, 'task enqueued');
        return this.tasks.view(taskId);
      },
      replay: async (taskId) => ((await this.runner.load(TASK, taskId)).state ? this.tasks.view(taskId) : null),
    });
    void reply.header('Location', `/api/v1/tasks/${view.id}`).header('Retry-After', '1');
    return toTaskResponse(view);
  }
}
