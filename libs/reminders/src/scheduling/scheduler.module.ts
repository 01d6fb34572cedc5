import { Module } from '@nestjs/common';
import { HandOff } from './hand-off';
import { ReminderTimersProjector } from './reminder-timers.projector';

/** The scheduler: log → durable time index → transport, within a horizon. */
@Module({ providers: [HandOff, ReminderTimersProjector] })
export class SchedulerModule {}
