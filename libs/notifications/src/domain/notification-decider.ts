import { Decider } from '@herald/kernel';
import { PublishNotification, publishNotification } from './commands/publish-notification';
import { NotificationEvent } from './events/notification-events';
import { NotificationState, evolveNotification, initialNotificationState } from './notification-state';

export type NotificationCommand = PublishNotification;

export function decideNotification(command: NotificationCommand, state: NotificationState): NotificationEvent[] {
  switch (command.type) {
    case 'PublishNotification':
      return publishNotification(command, state);
  }
}

export const notificationDecider: Decider<NotificationState, NotificationCommand, NotificationEvent> = {
  initialState: initialNotificationState,
  evolve: evolveNotification,
  decide: decideNotification,
};
