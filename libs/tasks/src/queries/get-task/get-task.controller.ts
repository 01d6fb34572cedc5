import { taskNotFound } from '../../domain';
import { TASK } from '../../task-aggregate';
import { OwnedBy } from '@herald/runtime';
import { ConflictException, Controller, Get, HttpCode, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { ApiErrors, ApiIdParam, JSON_VALUE_SCHEMA, LOCATION_HEADER, RETRY_AFTER_HEADER } from '@herald/platform';
import { TaskDto, TaskPollDto } from '../task-response.dto';
import type { FastifyReply } from 'fastify';
import { toTaskResponse } from '../task-response';
import { TaskView } from '../task-view';
import { GetTaskQuery } from './get-task.query';

/** How long a poller should wait before asking again about a task that is not finished (seconds). */
const POLL_AFTER_S = 1;

@ApiTags('tasks')
@ApiIdParam('task')
@OwnedBy(TASK)
@Controller('api/v1/tasks')
export class GetTaskController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':id')
  @ApiOperation({
    operationId: 'tasks.get',
    summary: 'Read a task',
    description:
      'From the read side, or from the log while the read side has yet to catch up: a task enqueued a moment ago is found at once (lists may take milliseconds to show it).',
  })
  @ApiOkResponse({ type: TaskDto })
  @ApiErrors(400, 404)
  async get(@Param('id', new ParseUUIDPipe()) id: string) {
    return toTaskResponse(await this.find(id));
  }

  /**
   * Long-running-operation polling: not finished → 200 with Retry-After;
   * Completed → 303 to the result; Failed or Cancelled → 200 with the error.
   */
  @Get(':id/status')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'tasks.status',
    summary: 'Poll a task until it finishes',
    description:
      'Long-running-operation polling: not finished → 200 with `Retry-After`; Completed → 303 to its result; Failed or Cancelled → 200 with the error.',
  })
  @ApiOkResponse({ type: TaskPollDto, description: 'Not finished (with `Retry-After`), or Failed or Cancelled', headers: RETRY_AFTER_HEADER })
  @ApiResponse({ status: 303, type: TaskPollDto, description: 'Completed: the result is at `Location`', headers: LOCATION_HEADER })
  @ApiErrors(400, 404)
  async status(@Param('id', new ParseUUIDPipe()) id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const view = await this.find(id);
    if (view.status === 'Completed') {
      void reply.status(303).header('Location', `/api/v1/tasks/${id}/result`);
      return { id, status: view.status };
    }
    if (view.status === 'Failed' || view.status === 'Cancelled') return { id, status: view.status, error: view.state.error };
    void reply.header('Retry-After', String(POLL_AFTER_S));
    return { id, status: view.status, progress: view.state.progress };
  }

  /** The result as the worker reported it, once Completed. */
  @Get(':id/result')
  @ApiOperation({ operationId: 'tasks.result', summary: "A completed task's result" })
  @ApiOkResponse({
    description: 'The result as the worker reported it (null when it reported none)',
    schema: { $ref: getSchemaPath(JSON_VALUE_SCHEMA) },
  })
  @ApiErrors(400, 404, 409)
  async result(@Param('id', new ParseUUIDPipe()) id: string, @Res() reply: FastifyReply) {
    const view = await this.find(id);
    if (view.status !== 'Completed') {
      throw new ConflictException({
        statusCode: 409,
        error: 'Conflict',
        code: 'TaskNotCompleted',
        message: `task ${id} is ${view.status}; its result exists once it is Completed`,
      });
    }
    // Sent as JSON text so that a null or a bare string result keeps its JSON form.
    void reply
      .status(200)
      .type('application/json')
      .send(JSON.stringify(view.state.result ?? null));
  }

  private async find(id: string): Promise<TaskView> {
    const view = await this.queries.execute(new GetTaskQuery(id));
    if (!view) throw taskNotFound(id);
    return view;
  }
}
