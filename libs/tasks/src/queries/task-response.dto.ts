import { ApiProperty } from '@nestjs/swagger';
import { ApiDateTime, ApiJsonValue, ApiUuid, AssertSameShape } from '@herald/platform';
import { TaskStatus } from '../domain';
import type { toTaskResponse } from './task-response';

/** A task: GET /api/v1/tasks/:id, the list's items, the answer of enqueue and of every action. The lease token is never shown. */
export class TaskDto {
  @ApiUuid()
  id!: string;

  type!: string;

  /** As enqueued. */
  @ApiJsonValue()
  params!: unknown;

  owner!: string | null;

  tags!: string[];

  @ApiProperty({ type: 'integer' })
  priority!: number;

  status!: TaskStatus;

  /** The attempt number of the current or last lease; 0 before any. */
  @ApiProperty({ type: 'integer' })
  attempt!: number;

  @ApiProperty({ type: 'integer' })
  maxAttempts!: number;

  /** The latest progress a worker reported (null before any). */
  @ApiJsonValue()
  progress!: unknown;

  /** The latest checkpoint a worker recorded: the next lease starts from it (null before any). */
  @ApiJsonValue()
  checkpoint!: unknown;

  /** What the worker reported when it completed the task (null until then). */
  @ApiJsonValue()
  result!: unknown;

  /** The last failure a worker reported. */
  error!: string | null;

  /** The worker of the current or last lease. */
  workerId!: string | null;

  /** When it may next be leased (meaningful while Queued). */
  @ApiDateTime()
  runAt!: string;

  @ApiDateTime()
  createdAt!: string;

  @ApiDateTime()
  updatedAt!: string;

  /** When the first lease was taken. */
  @ApiDateTime()
  startedAt!: string | null;

  /** When it reached Completed, Failed or Cancelled (cleared by a retrigger). */
  @ApiDateTime()
  finishedAt!: string | null;

  /** The schedule whose occurrence enqueued it; null otherwise. */
  @ApiUuid()
  scheduleId!: string | null;

  /** The occurrence of that schedule; null otherwise. */
  @ApiDateTime()
  scheduledFor!: string | null;
}

/** GET /api/v1/tasks */
export class TaskPageDto {
  items!: TaskDto[];

  /** Pass it back as `cursor` for the next page; null on the last. */
  nextCursor!: string | null;
}

/** GET /api/v1/tasks/:id/status: `progress` while it runs, `error` once Failed or Cancelled, neither once Completed. */
export class TaskPollDto {
  @ApiUuid()
  id!: string;

  status!: TaskStatus;

  /** While not finished: the latest progress a worker reported. */
  @ApiJsonValue()
  progress?: unknown;

  /** Failed or Cancelled: the last failure reported (null when none). */
  error?: string | null;
}

const _sameShape: AssertSameShape<TaskDto, ReturnType<typeof toTaskResponse>> = true;
