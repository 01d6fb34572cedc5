import { TASK } from '../../task-aggregate';
import { OwnedBy } from '@herald/runtime';
import { ApiErrors, ApiIdParam, RequestTraceparent } from '@herald/platform';
import { ApiAcceptedResponse, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TaskDto } from '../../queries/task-response.dto';
import { Body, Controller, HttpCode, Logger, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { toTaskResponse } from '../../queries/task-response';
import { TaskCommands } from '../task-commands';
import { RetriggerTaskDto, TaskActionDto } from './task-action.dto';

/** Every action's answer (a class-level response would be hidden by each method's own 202). */
const TASK_NOW = { type: TaskDto, description: 'The task as it now stands' };

/**
 * A user's actions on a task: 202 with the task as it now stands, 404 for an
 * unknown id, 409 naming the status where the action is not allowed. A body
 * is optional (`{ reason }`).
 */
@ApiTags('tasks')
@ApiIdParam('task')
@ApiErrors(400, 404, 409)
@OwnedBy(TASK)
@Controller('api/v1/tasks/:id')
export class TaskActionsController {
  private readonly logger = new Logger('TaskActions');

  constructor(private readonly tasks: TaskCommands) {}

  /** Queued → Paused at once; Running → Pausing until the worker releases (or its lease lapses). */
  @Post('pause')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'tasks.pause',
    summary: 'Pause a task',
    description: 'Queued → Paused at once; Running → Pausing until the worker releases (or its lease lapses).',
  })
  @ApiBody({ type: TaskActionDto, required: false })
  @ApiAcceptedResponse(TASK_NOW)
  pause(@Param('id', new ParseUUIDPipe()) taskId: string, @Body() body: TaskActionDto = {}, @RequestTraceparent() traceparent: string) {
    return this.act({ type: 'PauseTask', taskId, reason: body.reason }, traceparent);
  }

  /** Paused → Queued (the checkpoint kept for the next worker); Pausing → Running (the request withdrawn). */
  @Post('resume')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'tasks.resume',
    summary: 'Resume a paused task',
    description: 'Paused → Queued (the checkpoint kept for the next worker); Pausing → Running (the request withdrawn).',
  })
  @ApiBody({ type: TaskActionDto, required: false })
  @ApiAcceptedResponse(TASK_NOW)
  resume(@Param('id', new ParseUUIDPipe()) taskId: string, @Body() body: TaskActionDto = {}, @RequestTraceparent() traceparent: string) {
    return this.act({ type: 'ResumeTask', taskId, reason: body.reason }, traceparent);
  }

  /** Queued or Paused → Cancelled at once; Running or Pausing → Cancelling until the worker acknowledges (or its lease lapses). */
  @Post('cancel')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'tasks.cancel',
    summary: 'Cancel a task',
    description: 'Queued or Paused → Cancelled at once; Running or Pausing → Cancelling until the worker acknowledges (or its lease lapses).',
  })
  @ApiBody({ type: TaskActionDto, required: false })
  @ApiAcceptedResponse(TASK_NOW)
  cancel(@Param('id', new ParseUUIDPipe()) taskId: string, @Body() body: TaskActionDto = {}, @RequestTraceparent() traceparent: string) {
    return this.act({ type: 'CancelTask', taskId, reason: body.reason }, traceparent);
  }

  /** Failed or Cancelled → Queued, attempts start over, from the last checkpoint unless `fromCheckpoint: false`. */
  @Post('retrigger')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'tasks.retrigger',
    summary: 'Run a Failed or Cancelled task again',
    description: 'Failed or Cancelled → Queued, attempts start over, from the last checkpoint unless `fromCheckpoint: false`.',
  })
  @ApiBody({ type: RetriggerTaskDto, required: false })
  @ApiAcceptedResponse(TASK_NOW)
  retrigger(@Param('id', new ParseUUIDPipe()) taskId: string, @Body() body: RetriggerTaskDto = {}, @RequestTraceparent() traceparent: string) {
    return this.act({ type: 'RetriggerTask', taskId, reason: body.reason, fromCheckpoint: body.fromCheckpoint ?? true }, traceparent);
  }

  private async act(command: Parameters<TaskCommands['run']>[0], traceparent: string) {
    const { events } = await this.tasks.run(command, { traceparent });
    this.logger.log({ taskId: command.taskId, action: command.type, events: events.map((e) => e.type) }, 'task action recorded');
    return toTaskResponse(await this.tasks.view(command.taskId));
  }
}
