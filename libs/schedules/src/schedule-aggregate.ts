import { AggregateType } from '@herald/runtime';
import { ScheduleAggregate, ScheduleCommand, ScheduleEvent, isScheduleEvent, scheduleDecider, scheduleStream } from './domain';

/** What the one command path needs to run schedule commands. */
export const SCHEDULE: AggregateType<ScheduleAggregate, ScheduleCommand, ScheduleEvent> = {
  decider: scheduleDecider,
  streamOf: scheduleStream,
  isEvent: isScheduleEvent,
};
