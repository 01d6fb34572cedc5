import { Module } from '@nestjs/common';
import { DeliveryModule } from '@herald/runtime';
import { FireCallbackController } from './fire-callback.controller';
import { HttpCallbackSender } from './http-callback-sender';
import { CallbackMetrics } from './callback-metrics';

/** The callback worker: consumes `callbacks` entries (an @EventPattern over the delivery transport), POSTs, records the outcome. */
@Module({ imports: [DeliveryModule], controllers: [FireCallbackController], providers: [HttpCallbackSender, CallbackMetrics] })
export class CallbackWorkerModule {}
