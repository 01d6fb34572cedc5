import { Body, Controller, Headers, Logger, Res } from '@nestjs/common';
import { CommandRunner, CreateRoute, IdempotentCreation, createResource } from '@herald/runtime';
import { TASK } from '../../task-aggregate';
import type { FastifyReply } from 'fastify';
import { Caller, HeraldConfig, Principal, RETRY_AFTER_HEADER, assertJsonWithin, RequestTraceparent } from '@herald/platform';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
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
  @CreateRoute({ status: 202, type: TaskDto, description: 'Queued', headers: RETRY_AFTER_HEADER })
  @ApiOperation({
    operationId: 'tasks.enqueue',
    summary: 'Enqueue a task for a worker to run',
    description: 'Accepted: a worker leasing its type runs it. Poll `Location` or its `/status`.',
  })
  async enqueue(
    @Body() body: EnqueueTaskDto,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Caller() caller: Principal,
    @RequestTraceparent() traceparent: string,
    @Headers('idempotency-key') idempotencyKey?: string,
  ) {
    assertJsonWithin('params', body.params, this.config.PAYLOAD_MAX_BYTES);
    const view = await createResource(
      this.idempotent,
      { body, reply, caller, traceparent, idempotencyKey },
      {
        kind: 'task',
        collection: '/api/v1/tasks',
        create: async (taskId, { commandId, owner }) => {
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
        createdAtOf: (task) => task.createdAt,
        idOf: (task) => task.id,
      },
    );
    void reply.header('Retry-After', '1');
    return toTaskResponse(view);
  }
}
