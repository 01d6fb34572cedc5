import { Logger, Module } from '@nestjs/common';
import { HealthRegistry, HeraldConfig } from '@herald/platform';
import { DeliveryModule } from '@herald/runtime';
import { TaskCommands } from '../commands/task-commands';
import { InMemoryTaskQueue } from '../dispatch/in-memory/in-memory-task-queue';
import { RabbitMqTaskQueue } from '../dispatch/rabbitmq/rabbitmq-task-queue';
import { TASK_QUEUE, TaskQueue } from '../dispatch/task-queue.port';
import { TaskStartsController } from '../dispatch/task-starts.controller';
import { LeaseExpiryController } from '../scheduling/lease-expiry.controller';
import { TaskMetricsModule } from '../task-metrics';
import { LeaseReports } from './lease-reports';
import { PendingProgress } from './pending-progress';
import { WorkerLeasesController } from './worker-leases.controller';
import { WorkerReportsController } from './worker-reports.controller';
import { TASKS_API_DOCS } from '../api-docs';

/** With RABBITMQ_URL, one durable priority queue per task type that every API replica competes on; otherwise in-process heaps. */
function createTaskQueue(config: HeraldConfig): TaskQueue | Promise<TaskQueue> {
  if (!config.RABBITMQ_URL) return new InMemoryTaskQueue();
  const logger = new Logger('TaskQueue');
  return RabbitMqTaskQueue.connect({
    url: config.RABBITMQ_URL,
    prefix: config.RABBITMQ_PREFIX,
    log: (level, message, fields) => logger[level === 'info' ? 'log' : level]({ ...fields }, message),
  });
}

/**
 * The worker side of tasks: the HTTP lease protocol, the consumer that offers
 * due tasks to it, and the consumer that records lapsed leases. The queue is
 * in-process, so the lease endpoint and the start consumer share a process.
 */
@Module({
  imports: [DeliveryModule, TaskMetricsModule],
  controllers: [WorkerLeasesController, WorkerReportsController, TaskStartsController, LeaseExpiryController],
  providers: [
    TaskCommands,
    LeaseReports,
    PendingProgress,
    TASKS_API_DOCS,
    { provide: TASK_QUEUE, inject: [HeraldConfig], useFactory: createTaskQueue },
    {
      // Closes the queue before the HTTP server drains (waiting long polls answer [] at once), and shows its depth per type in /health.
      provide: 'TASK_QUEUE_LIFECYCLE',
      inject: [TASK_QUEUE, HealthRegistry],
      useFactory: (queue: TaskQueue, health: HealthRegistry) => {
        health.register({ name: 'task-queue', check: async () => ({ waiting: await queue.depth() }) });
        return { beforeApplicationShutdown: () => queue.close() };
      },
    },
  ],
})
export class TaskWorkersModule {}
