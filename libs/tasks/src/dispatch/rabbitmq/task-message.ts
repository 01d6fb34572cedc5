import type { Options } from 'amqplib';
import { taskTypeProblem } from '../../domain';
import { ReadyTask } from '../task-queue.port';

/** RabbitMQ's priority range for the queue: the port's 0-9, one sub-queue each on the broker. */
export const MAX_PRIORITY = 9;

export const taskQueueName = (prefix: string, type: string) => `${prefix}.tasks.${type}`;

/** Types name queues: refused here before the broker would accept a name we never meant. */
export function assertTaskType(type: string): void {
  const problem = taskTypeProblem(type);
  if (problem) throw new Error(`${problem}: ${JSON.stringify(type)}`);
}

/**
 * Durable and classic on purpose: a classic queue with x-max-priority hands
 * out the highest priority first and is FIFO within one. A quorum queue would
 * replicate, but knows only two priorities (high and low, served 2:1), which
 * breaks "9 before 0".
 */
export const QUEUE_OPTIONS: Options.AssertQueue = {
  durable: true,
  arguments: { 'x-max-priority': MAX_PRIORITY, 'x-queue-type': 'classic' },
};

export function encodeTask(task: ReadyTask): { content: Buffer; options: Options.Publish } {
  const { taskId, type, priority, enqueuedAt } = task;
  return {
    content: Buffer.from(JSON.stringify({ taskId, type, priority, enqueuedAt })),
    options: {
      persistent: true,
      contentType: 'application/json',
      messageId: taskId,
      priority: Math.min(MAX_PRIORITY, Math.max(0, Math.round(priority))),
    },
  };
}

/** The task in a message body, or null for anything that is not one (dropped by the caller). */
export function decodeTask(content: Buffer): ReadyTask | null {
  try {
    const o = JSON.parse(content.toString()) as Record<string, unknown>;
    const ok = typeof o.taskId === 'string' && typeof o.type === 'string' && typeof o.priority === 'number' && typeof o.enqueuedAt === 'string';
    return ok ? { taskId: o.taskId as string, type: o.type as string, priority: o.priority as number, enqueuedAt: o.enqueuedAt as string } : null;
  } catch {
    return null;
  }
}

/** The port's order: higher priority first, then oldest, then by id so the order is total. */
export function before(a: ReadyTask, b: ReadyTask): number {
  return b.priority - a.priority || compare(a.enqueuedAt, b.enqueuedAt) || compare(a.taskId, b.taskId);
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
