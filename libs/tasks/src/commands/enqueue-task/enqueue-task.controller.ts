import { Body, Controller, HttpCode, Logger, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import { Caller, HeraldConfig, Principal, assertJsonWithin, ownerFor } from '@herald/platform';
import { toTaskResponse } from '../../queries/task-response';
import { TaskCommands } from '../task-commands';
import { EnqueueTaskDto } from './enqueue-task.dto';

export const TASK_DEFAULTS = { priority: 0, maxAttempts: 3, heartbeatTimeoutMs: 30_000 } as const;

@Controller('api/v1/tasks')
export class EnqueueTaskController {
  private readonly logger = new Logger('EnqueueTask');

  constructor(
    private readonly tasks: TaskCommands,
    private readonly config: HeraldConfig,
  ) {}

  /** 202: accepted for a worker to run; poll Location or its /status. */
  @Post()
  @HttpCode(202)
  async enqueue(@Body() body: EnqueueTaskDto, @Res({ passthrough: true }) reply: FastifyReply, @Caller() caller: Principal) {
    assertJsonWithin('params', body.params, this.config.PAYLOAD_MAX_BYTES);
    const taskId = randomUUID();
    await this.tasks.run(
      {
        type: 'EnqueueTask',
        taskId,
        taskType: body.type,
        params: body.params ?? null,
        owner: ownerFor(caller, body.owner),
        tags: body.tags ?? [],
        priority: body.priority ?? TASK_DEFAULTS.priority,
        runAt: body.runAt === undefined ? null : new Date(body.runAt),
        maxAttempts: body.maxAttempts ?? TASK_DEFAULTS.maxAttempts,
        heartbeatTimeoutMs: body.heartbeatTimeoutMs ?? TASK_DEFAULTS.heartbeatTimeoutMs,
      },
      { expected: 'no_stream' },
    );
    this.logger.debug({ taskId, type: body.type }, 'task enqueued');
    void reply.header('Location', `/api/v1/tasks/${taskId}`).header('Retry-After', '1');
    return toTaskResponse(await this.tasks.view(taskId));
  }
}
