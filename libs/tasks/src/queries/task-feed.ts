import { FeedSource } from '@herald/runtime';
import { TASK_STREAM_PREFIX, TaskEnqueuedData } from '../domain';

/** A lease token lets its holder complete the task: `/events` and the feed show enough of its secret part to tell leases apart, no more. */
export function redactTaskEvent(_type: string, data: unknown): unknown {
  const d = data as { token?: unknown };
  if (typeof d?.token !== 'string') return data;
  const [taskId, secret = ''] = d.token.split('.');
  return { ...d, token: `${taskId}.${secret.slice(0, 4)}…` };
}

/** Tasks on the live feed. */
export const TASK_FEED_SOURCE: FeedSource = {
  category: 'task',
  streamPrefix: TASK_STREAM_PREFIX,
  ownerIn: (e) => (e.type === 'TaskEnqueued' ? (e.data as TaskEnqueuedData).owner : undefined),
  redact: redactTaskEvent,
};
