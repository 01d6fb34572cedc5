import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ReminderEvent, isReminderEvent } from '../../domain';
import { CHECKPOINT_STORE, CheckpointStore, CheckpointedSubscriber, EVENT_STORE, EventStore, RecordedEvent } from '@herald/event-store';
import { HealthRegistry } from '@herald/platform';
import { REMINDER_READ_STORE, ReminderReadStore } from '@herald/read-store';
import { reminderLogSubscriber } from '../../reminder-log-subscriber';
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
    this.subscriber = reminderLogSubscriber(REMINDER_VIEWS_SUBSCRIBER, events, checkpoints, (batch) => this.apply(batch), this.logger);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.subscriber.start();
    this.health.register({ name: 'projector', check: async () => this.subscriber.status });
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscriber.stop();
  }

  apply(events: RecordedEvent[]): Promise<void> {
    return applyToReminderViews(this.views, events);
  }
}

/**
 * A batch of events into the read model: one read of the views involved,
 * the fold in memory, one write of the views that changed. Events already
 * applied (at or below a view's revision) change nothing. Shared with the replay CLI.
 */
export async function applyToReminderViews(views: ReminderReadStore, events: RecordedEvent[]): Promise<void> {
  const relevant = events.filter(isReminderEvent) as (RecordedEvent & ReminderEvent)[];
  if (relevant.length === 0) return;
  // A reminder whose first event here is its definition needs no read: the
  // store's revision guard already keeps a replayed definition from
  // overwriting a later view. Only the others are fetched.
  const definedHere = new Set<string>();
  const toFetch = new Set<string>();
  for (const e of relevant) {
    const id = e.data.reminderId;
    if (definedHere.has(id) || toFetch.has(id)) continue;
    (e.type === 'ReminderDefined' ? definedHere : toFetch).add(id);
  }
  const current = new Map((await views.getMany([...toFetch])).map((v) => [v.id, v]));
  const changed = new Set<string>();
  for (const event of relevant) {
    const id = event.data.reminderId;
    const view = current.get(id) ?? null;
    if (view && view.revision >= event.revision) continue; // already applied
    const next = projectReminderView(view, event, event.revision, event.recordedAt);
    if (!next) continue;
    current.set(id, next);
    changed.add(id);
  }
  await views.saveMany([...changed].map((id) => current.get(id)!));
}
