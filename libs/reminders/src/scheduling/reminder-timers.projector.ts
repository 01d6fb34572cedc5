import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { REMINDER_STREAM_PREFIX, isReminderEvent } from '@herald/domain';
import { CHECKPOINT_STORE, CheckpointStore, CheckpointedSubscriber, EVENT_STORE, EventStore, RecordedEvent } from '@herald/event-store';
import { HealthRegistry } from '@herald/platform';
import { TIME_INDEX, TimeIndex } from '@herald/scheduling';
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
    this.subscriber = new CheckpointedSubscriber({
      name: 'scheduler.reminder-timers',
      events,
      checkpoints,
      streamPrefix: REMINDER_STREAM_PREFIX,
      handle: (event) => this.apply(event),
      onError: (error, event) => this.logger.error({ err: error, position: event.position, type: event.type }, 'scheduling failed; retrying'),
    });
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

  private async apply(event: RecordedEvent): Promise<void> {
    if (!isReminderEvent(event)) return;
    switch (event.type) {
      case 'ReminderDefined':
        return this.plan(event.data.reminderId, 1, event.data.dueAt);
      case 'CallbackAttemptFailed':
        // The last failure carries no next time; the ReminderFailed beside it clears the entry.
        if (event.data.nextAttemptAt) return this.plan(event.data.reminderId, event.data.attempt + 1, event.data.nextAttemptAt);
        return;
      case 'ReminderCompleted':
      case 'ReminderFailed':
      case 'ReminderCancelled':
        return this.index.remove(event.data.reminderId);
    }
  }

  private async plan(reminderId: string, attempt: number, dueAt: string): Promise<void> {
    const entry = { reminderId, attempt, dueAt: Date.parse(dueAt) };
    await this.index.put(entry);
    if (this.handOff.isWithinHorizon(entry.dueAt)) await this.handOff.run();
  }
}
