import { reminderStream } from '../../domain';
import { CheckpointStore, EventStore, RecordedEvent } from '@herald/event-store';
import { ReminderReadStore } from '@herald/read-store';
import { REMINDER_VIEWS_SUBSCRIBER, applyToReminderViews } from '../projection/reminder-view.projector';

export interface RebuildReport {
  events: number;
  seconds: number;
  eventsPerSecond: number;
}

/**
 * Rebuilds the reminder read model from position 0: clear, apply every
 * event up to the head of the log as it is now, then store the checkpoint
 * there so the projector carries on from the head instead of replaying again.
 */
export async function rebuildReminderViews(events: EventStore, views: ReminderReadStore, checkpoints: CheckpointStore): Promise<RebuildReport> {
  const started = process.hrtime.bigint();
  const head = await events.headPosition();
  await views.clear();
  let count = 0;
  if (head !== null) {
    await new Promise<void>((resolve, reject) => {
      const subscription = events.subscribeToAll(
        { after: null },
        async (batch) => {
          await applyToReminderViews(views, batch);
          count += batch.length;
          if (batch.some((e) => e.position === head)) void subscription.stop().then(resolve);
        },
        (error) => void subscription.stop().then(() => reject(error)),
      );
    });
    await checkpoints.save(REMINDER_VIEWS_SUBSCRIBER, head);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { events: count, seconds, eventsPerSecond: count / seconds };
}

/** One reminder's history as lines a person can read. */
export async function reminderTimeline(events: EventStore, reminderId: string): Promise<string[]> {
  const stream = await events.readStream(reminderStream(reminderId));
  return stream.map((e: RecordedEvent) => `${e.recordedAt.toISOString()}  #${e.revision}  ${e.type.padEnd(22)} ${summarise(e)}`);
}

function summarise(e: RecordedEvent): string {
  const d = e.data as Record<string, unknown>;
  switch (e.type) {
    case 'ReminderDefined':
      return `due ${d.dueAt} → ${d.address} (max ${d.maxAttempts} attempts)`;
    case 'CallbackAttemptFailed':
      return `attempt ${d.attempt}: ${d.error}${d.nextAttemptAt ? `; next at ${d.nextAttemptAt}` : ''}`;
    case 'ReminderCompleted':
      return `attempt ${d.attempt}: HTTP ${d.statusCode}`;
    case 'ReminderFailed':
      return `after ${d.attempts} attempts: ${d.lastError}`;
    default:
      return '';
  }
}
