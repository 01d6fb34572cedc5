import { Decider } from '@herald/kernel';
import { ScheduleEvent } from './events/schedule-events';
import { ScheduleAggregate, evolveSchedule } from './schedule-state';
import { CreateSchedule, createSchedule } from './commands/create-schedule';
import {
  DeleteSchedule,
  PauseSchedule,
  ResumeSchedule,
  UpdateSchedule,
  deleteSchedule,
  pauseSchedule,
  resumeSchedule,
  updateSchedule,
} from './commands/control-schedule';
import {
  FireDueOccurrences,
  RecordRunFinished,
  TriggerSchedule,
  fireDueOccurrences,
  recordRunFinished,
  triggerSchedule,
} from './commands/fire-occurrences';

export type ScheduleCommand =
  CreateSchedule | PauseSchedule | ResumeSchedule | UpdateSchedule | DeleteSchedule | FireDueOccurrences | TriggerSchedule | RecordRunFinished;

export const scheduleDecider: Decider<ScheduleAggregate, ScheduleCommand, ScheduleEvent> = {
  initialState: () => null,
  evolve: evolveSchedule,
  decide: (command, state) => {
    switch (command.type) {
      case 'CreateSchedule':
        return createSchedule(command, state);
      case 'PauseSchedule':
        return pauseSchedule(command, state);
      case 'ResumeSchedule':
        return resumeSchedule(command, state);
      case 'UpdateSchedule':
        return updateSchedule(command, state);
      case 'DeleteSchedule':
        return deleteSchedule(command, state);
      case 'FireDueOccurrences':
        return fireDueOccurrences(command, state);
      case 'TriggerSchedule':
        return triggerSchedule(command, state);
      case 'RecordRunFinished':
        return recordRunFinished(command, state);
    }
  },
};
