import { Module } from '@nestjs/common';
import { ReminderRepository } from '../reminder-repository';
import { FireCallbackHandler } from './fire-callback.handler';
import { HttpCallbackSender } from './http-callback-sender';

/** The callback worker: consumes due messages, POSTs, records the outcome. */
@Module({ providers: [ReminderRepository, HttpCallbackSender, FireCallbackHandler] })
export class CallbackWorkerModule {}
