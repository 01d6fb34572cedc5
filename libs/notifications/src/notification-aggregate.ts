import { AggregateType } from '@herald/runtime';
import {
  NotificationCommand,
  NotificationEvent,
  NotificationState,
  isNotificationEvent,
  notificationDecider,
  notificationNotFound,
  notificationStream,
} from './domain';

/** What the one command path needs to run notification commands. */
export const NOTIFICATION: AggregateType<NotificationState, NotificationCommand, NotificationEvent> = {
  decider: notificationDecider,
  streamOf: notificationStream,
  isEvent: isNotificationEvent,
  ownership: { ownerOf: (state) => state.owner, notFound: notificationNotFound },
};
