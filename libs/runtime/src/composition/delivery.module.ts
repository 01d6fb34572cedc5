import { Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { HeraldConfig } from '@herald/platform';
import { DELAYED_DELIVERY, DelayedDelivery, InProcessDelayedDelivery, RabbitMqDelayedDelivery } from '@herald/scheduling';

function createDelivery(config: HeraldConfig): Promise<DelayedDelivery> | DelayedDelivery {
  const logger = new Logger(config.RABBITMQ_URL ? 'RabbitMQ' : 'Timers');
  const log = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) =>
    logger[level === 'info' ? 'log' : level]({ ...fields }, message);
  if (!config.RABBITMQ_URL) return new InProcessDelayedDelivery({ concurrency: config.CALLBACK_CONCURRENCY, log });
  return RabbitMqDelayedDelivery.connect({
    url: config.RABBITMQ_URL,
    prefix: config.RABBITMQ_PREFIX,
    mode: config.RABBITMQ_DELAY_MODE,
    prefetch: config.RABBITMQ_PREFETCH,
    batchSize: config.RABBITMQ_BATCH_SIZE,
    concurrency: config.CALLBACK_CONCURRENCY,
    log,
  });
}

@Injectable()
class DeliveryLifecycle implements OnApplicationShutdown {
  constructor(@Inject(DELAYED_DELIVERY) private readonly delivery: DelayedDelivery) {}
  async onApplicationShutdown(): Promise<void> {
    await this.delivery.close();
  }
}

/**
 * The transport between the scheduler and the consumers of due entries, imported by both
 * (one instance when they share a process). Kept out of StorageModule so the
 * command and query APIs never connect to the broker.
 */
@Module({
  providers: [{ provide: DELAYED_DELIVERY, inject: [HeraldConfig], useFactory: createDelivery }, DeliveryLifecycle],
  exports: [DELAYED_DELIVERY],
})
export class DeliveryModule {}
