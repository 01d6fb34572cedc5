import { Module } from '@nestjs/common';
import { DeliveryModule } from '../storage/delivery.module';
import { HandOff } from './hand-off';
import { ReminderTimersProjector } from './reminder-timers.projector';

/** The scheduler: log → durable time index → transport, within a horizon. */
@Module({ imports: [DeliveryModule], providers: [HandOff, ReminderTimersProjector] })
export class SchedulerModule {}
