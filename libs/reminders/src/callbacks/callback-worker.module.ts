import { Module } from '@nestjs/common';
import { DeliveryModule } from '../storage/delivery.module';
import { ReminderRepository } from '../reminder-repository';
import { FireCallbackHandler } from './fire-callback.handler';
import { HttpCallbackSender } from './http-callback-sender';

/** The callback worker: consumes due messages, POSTs, records the outcome. */
@Module({ imports: [DeliveryModule], providers: [ReminderRepository, HttpCallbackSender, FireCallbackHandler] })
export class CallbackWorkerModule {}
