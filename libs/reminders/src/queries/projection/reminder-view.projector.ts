import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { REMINDER_STREAM_PREFIX, isReminderEvent } from '@herald/domain';
import { CHECKPOINT_STORE, CheckpointStore, CheckpointedSubscriber, EVENT_STORE, EventStore, RecordedEvent } from '@herald/event-store';
import { HealthRegistry } from '@herald/platform';
import { REMINDER_READ_STORE, ReminderReadStore } from '@herald/read-store';
import { projectReminderView } from './reminder-view.projection';

export const REMINDER_VIEWS_SUBSCRIBER = 'query.reminder-views';

/** Keeps the reminder read model up to date from the log, from its own checkpoint. */
@Injectable()
export class ReminderViewProjector implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Projector');
  private readonly subscriber: CheckpointedSubscriber;

  constructor(
    @Inject(EVENT_STORE) events: EventStore,
    @Inject(CHECKPOINT_STORE) checkpoints: CheckpointStore,
    @Inject(REMINDER_READ_STORE) private readonly views: ReminderReadStore,
    private readonly health: HealthRegistry,
  ) {
    this.subscriber = new CheckpointedSubscriber({
      name: REMINDER_VIEWS_SUBSCRIBER,
      events,
      checkpoints,
      streamPrefix: REMINDER_STREAM_PREFIX,
      handle: (event) => this.apply(event),
      onError: (error, event) => this.logger.error({ err: error, position: event.position, type: event.type }, 'projection failed; retrying'),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.subscriber.start();
    this.health.register({ name: 'projector', check: async () => this.subscriber.status });
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscriber.stop();
  }

  apply(event: RecordedEvent): Promise<void> {
    return applyToReminderViews(this.views, event);
  }
}

/** One event into the read model; a no-op for events already applied. Shared with the replay CLI. */
export async function applyToReminderViews(views: ReminderReadStore, event: RecordedEvent): Promise<void> {
  if (!isReminderEvent(event)) return;
  const current = event.type === 'ReminderDefined' ? null : await views.get(event.data.reminderId);
  if (current && current.revision >= event.revision) return; // already applied
  const next = projectReminderView(current, event, event.revision, event.recordedAt);
  if (next) await views.save(next);
}
