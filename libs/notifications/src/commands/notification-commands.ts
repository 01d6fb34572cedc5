import { Injectable } from '@nestjs/common';
import { CommandRunner, RunOptions, WithoutClock } from '@herald/runtime';
import { NotificationCommand, NotificationState } from '../domain';
import { NOTIFICATION } from '../notification-aggregate';

/** Runs notification commands through the one command path at the current time. */
@Injectable()
export class NotificationCommands {
  constructor(private readonly commands: CommandRunner) {}

  run(command: WithoutClock<NotificationCommand>, options: RunOptions<NotificationState> = {}) {
    return this.commands.runNow(NOTIFICATION, command.notificationId, command, options);
  }

  /** The notification as its stream says now (null when unknown). */
  async current(notificationId: string): Promise<NotificationState> {
    return (await this.commands.load(NOTIFICATION, notificationId)).state;
  }
}
