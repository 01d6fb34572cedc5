import { reminderStream } from '../../domain';
import { EventStore, RecordedEvent } from '@herald/event-store';

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
