import { Module } from '@nestjs/common';
import { DeliveryModule } from '../composition/delivery.module';
import { HandOff } from './hand-off';

/**
 * The scheduler's generic half: the durable time index → transport hand-off,
 * for every topic. Capabilities add the projections that fill the index
 * (reminder callbacks, task starts and lease expiries).
 */
@Module({ imports: [DeliveryModule], providers: [HandOff], exports: [HandOff, DeliveryModule] })
export class SchedulerModule {}
