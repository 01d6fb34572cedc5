import { taskQueueContract } from '../contract/task-queue.contract';
import { InMemoryTaskQueue } from './in-memory-task-queue';

taskQueueContract('in-memory', async () => {
  const queue = new InMemoryTaskQueue();
  return { queue, close: () => queue.close() };
});
