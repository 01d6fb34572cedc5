import { conflict, firstProblem, invalid } from '@herald/kernel';
import { NotificationEvent, notificationPublished } from '../events/notification-events';
import { NotificationState } from '../notification-state';
import { channelProblem } from '../values/channel';
import { messageProblem } from '../values/message';
import { ownerProblem } from '../values/owner';

export interface PublishNotification {
  readonly type: 'PublishNotification';
  readonly notificationId: string;
  readonly channel: string;
  readonly message: string;
  /** Any JSON; undefined is stored as null. */
  readonly data: unknown;
  readonly owner: string | null;
  readonly now: Date;
}

/** Publishes once: an id already published is a conflict, never a second notification. */
export function publishNotification(command: PublishNotification, state: NotificationState): NotificationEvent[] {
  if (state !== null) throw conflict('NotificationAlreadyExists', `notification ${command.notificationId} already exists`);
  const problem = firstProblem(channelProblem(command.channel), messageProblem(command.message), ownerProblem(command.owner));
  if (problem) throw invalid('InvalidNotification', problem);
  return [
    notificationPublished({
      notificationId: command.notificationId,
      channel: command.channel,
      message: command.message,
      data: command.data ?? null,
      owner: command.owner,
      publishedAt: command.now.toISOString(),
    }),
  ];
}
