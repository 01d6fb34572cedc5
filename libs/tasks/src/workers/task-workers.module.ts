import { Module } from '@nestjs/common';
import { HealthRegistry } from '@herald/platform';
import { DeliveryModule } from '@herald/runtime';
import { TaskCommands } from '../commands/task-commands';
import { InMemoryTaskQueue } from '../dispatch/in-memory/in-memory-task-queue';
import { TASK_QUEUE, TaskQueue } from '../dispatch/task-queue.port';
import { TaskStartsController } from '../dispatch/task-starts.controller';
import { LeaseExpiryController } from '../scheduling/lease-expiry.controller';
import { WorkerLeasesController } from './worker-leases.controller';

/**
 * The worker side of tasks: the HTTP lease protocol, the consumer that offers
 * due tasks to it, and the consumer that records lapsed leases. The queue is
 * in-process, so the lease endpoint and the start consumer share a process.
 */
@Module({
  imports: [DeliveryModule],
  controllers: [WorkerLeasesController, TaskStartsController, LeaseExpiryController],
  providers: [
    TaskCommands,
    {
      provide: TASK_QUEUE,
      useFactory: () => new InMemoryTaskQueue(),
    },
    {
      // Closes the queue at shutdown (waiting long polls answer []), and shows its depth per type in /health.
      provide: 'TASK_QUEUE_LIFECYCLE',
      inject: [TASK_QUEUE, HealthRegistry],
      useFactory: (queue: TaskQueue, health: HealthRegistry) => {
        health.register({ name: 'task-queue', check: async () => ({ waiting: await queue.depth() }) });
        return { onApplicationShutdown: () => queue.close() };
      },
    },
  ],
})
export class TaskWorkersModule {}
