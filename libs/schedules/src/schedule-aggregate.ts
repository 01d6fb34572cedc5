import { AggregateType } from '@herald/runtime';
import { ScheduleAggregate, ScheduleCommand, ScheduleEvent, isScheduleEvent, scheduleDecider, scheduleNotFound, scheduleStream } from './domain';

/** What the one command path needs to run schedule commands. */
export const SCHEDULE: AggregateType<ScheduleAggregate, ScheduleCommand, ScheduleEvent> = {
  decider: scheduleDecider,
  streamOf: scheduleStream,
  isEvent: isScheduleEvent,
  // Two events per occurrence, for as long as the schedule lives: decide from a snapshot, not from the start.
  snapshots: { every: 50, version: 3 },
  ownership: { ownerOf: (state) => state.owner, notFound: scheduleNotFound },
};
