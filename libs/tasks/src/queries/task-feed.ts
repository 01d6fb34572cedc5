import { FeedSource } from '@herald/runtime';
import { ViewStore } from '@herald/view-store';
import { TASK_STREAM_PREFIX, TaskEnqueuedData } from '../domain';
import { TaskView } from './task-view';

/** A lease token lets its holder complete the task: `/events` and the feed show enough of its secret part to tell leases apart, no more. */
export function redactTaskEvent(_type: string, data: unknown): unknown {
  const d = data as { token?: unknown };
  if (typeof d?.token !== 'string') return data;
  const [taskId, secret = ''] = d.token.split('.');
  return { ...d, token: `${taskId}.${secret.slice(0, 4)}…` };
}

/** Tasks on the live feed. */
export function taskFeedSource(views: ViewStore<TaskView>): FeedSource {
  return {
    category: 'task',
    streamPrefix: TASK_STREAM_PREFIX,
    ownerIn: (e) => (e.type === 'TaskEnqueued' ? (e.data as TaskEnqueuedData).owner : undefined),
    lookupOwner: async (id) => (await views.get(id))?.owner ?? null,
    redact: redactTaskEvent,
  };
}
