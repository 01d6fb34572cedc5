import { ViewDefinition } from '@herald/view-store';
import { DefinedTask, TaskStatus } from '../domain';

/**
 * The query side's record of a task: the aggregate's own state (folded with
 * the domain's evolve, so the read side can never disagree with the write
 * side about what an event means) plus what only the log's timeline knows.
 */
export interface TaskView {
  id: string;
  /** Stream revision of the last event applied: makes projection writes idempotent. */
  revision: number;
  status: TaskStatus;
  type: string;
  owner: string | null;
  tags: string[];
  priority: number;
  runAt: string;
  scheduleId: string | null;
  createdAt: string;
  updatedAt: string;
  /** When the first lease was taken. */
  startedAt: string | null;
  /** The worker of the current or last lease. */
  workerId: string | null;
  /** When it reached Completed, Failed or Cancelled (cleared by a retrigger). */
  finishedAt: string | null;
  state: DefinedTask;
}

export type TaskOrder = 'createdAt' | 'updatedAt';

export const TASK_VIEW_DEFINITION: ViewDefinition<TaskView> = {
  name: 'task_views',
  fields: {
    status: { type: 'string' },
    type: { type: 'string' },
    owner: { type: 'string' },
    tags: { type: 'string[]' },
    scheduleId: { type: 'string' },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
  orders: { createdAt: { field: 'createdAt', direction: 'desc' }, updatedAt: { field: 'updatedAt', direction: 'desc' } },
  indexes: [
    ['status', 'createdAt'],
    ['type', 'createdAt'],
    ['owner', 'createdAt'],
    ['status', 'updatedAt'],
  ],
};

export const TASK_VIEWS = Symbol('TASK_VIEWS');
