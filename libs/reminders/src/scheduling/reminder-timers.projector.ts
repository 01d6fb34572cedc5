import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ReminderEvent, isReminderEvent } from '../domain';
import { CHECKPOINT_STORE, CheckpointStore, CheckpointedSubscriber, EVENT_STORE, EventStore, RecordedEvent } from '@herald/event-store';
import { HealthRegistry } from '@herald/platform';
import { CallbackDue, TIME_INDEX, TimeIndex } from '@herald/scheduling';
import { reminderLogSubscriber } from '../reminder-log-subscriber';
import { HandOff } from './hand-off';

/**
 * The scheduler's view of the log: which attempt of which reminder is due
 * when. Each event updates the durable time index; anything due within the
 * horizon is handed straight to the transport.
 */
@Injectable()
export class ReminderTimersProjector implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Scheduler');
  private readonly subscriber: CheckpointedSubscriber;

  constructor(
    @Inject(EVENT_STORE) events: EventStore,
    @Inject(CHECKPOINT_STORE) checkpoints: CheckpointStore,
    @Inject(TIME_INDEX) private readonly index: TimeIndex,
    private readonly handOff: HandOff,
    private readonly health: HealthRegistry,
  ) {
    this.subscriber = reminderLogSubscriber('scheduler.reminder-timers', events, checkpoints, (batch) => this.apply(batch), this.logger);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.handOff.start();
    await this.subscriber.start();
    this.health.register({ name: 'scheduler', check: async () => this.subscriber.status });
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscriber.stop();
    this.handOff.stop();
  }

  /** Folds a batch into its net effect per reminder, writes it in one go, then hands off what is near. */
  private async apply(events: RecordedEvent[]): Promise<void> {
    const put = new Map<string, CallbackDue>();
    const remove = new Set<string>();
    for (const event of events) {
      if (!isReminderEvent(event)) continue;
      const id = event.data.reminderId;
      const next = pendingAttempt(event);
      if (next) {
        put.set(id, next);
        remove.delete(id);
      } else if (next === null) {
        put.delete(id);
        remove.add(id);
      }
    }
    await this.index.apply({ put: [...put.values()], remove: [...remove] });
    if ([...put.values()].some((e) => this.handOff.isWithinWindow(e.dueAt))) await this.handOff.run();
  }
}

/** The attempt an event makes pending, null when it ends the reminder, undefined when it changes nothing here. */
function pendingAttempt(event: ReminderEvent): CallbackDue | null | undefined {
  switch (event.type) {
    case 'ReminderDefined':
      return { reminderId: event.data.reminderId, attempt: 1, dueAt: Date.parse(event.data.dueAt) };
    case 'CallbackAttemptFailed':
      // The last failure carries no next time; the ReminderFailed beside it ends the reminder.
      return event.data.nextAttemptAt
        ? { reminderId: event.data.reminderId, attempt: event.data.attempt + 1, dueAt: Date.parse(event.data.nextAttemptAt) }
        : undefined;
    case 'ReminderCompleted':
    case 'ReminderFailed':
    case 'ReminderCancelled':
      return null;
  }
}
