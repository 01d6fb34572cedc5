import {
  CallbackAttemptFailedData,
  ReminderCompletedData,
  ReminderDefinedData,
  ReminderFailedData,
  ReminderRescheduledData,
  ReminderRetriggeredData,
  reminderStream,
} from '../../domain';
import { EventStore, RecordedEvent } from '@herald/event-store';

/** One reminder's history as lines a person can read. */
export async function reminderTimeline(events: EventStore, reminderId: string): Promise<string[]> {
  const stream = await events.readStream(reminderStream(reminderId));
  return stream.map((e: RecordedEvent) => `${e.recordedAt.toISOString()}  #${e.revision}  ${e.type.padEnd(22)} ${summarise(e)}`);
}

function summarise(e: RecordedEvent): string {
  switch (e.type) {
    case 'ReminderDefined': {
      const d = e.data as ReminderDefinedData;
      return `due ${d.dueAt} → ${d.address} (max ${d.maxAttempts} attempts)`;
    }
    case 'CallbackAttemptFailed': {
      const d = e.data as CallbackAttemptFailedData;
      return `attempt ${d.attempt}: ${d.error}${d.nextAttemptAt ? `; next at ${d.nextAttemptAt}` : ''}`;
    }
    case 'ReminderCompleted': {
      const d = e.data as ReminderCompletedData;
      return `attempt ${d.attempt}: HTTP ${d.statusCode}`;
    }
    case 'ReminderFailed': {
      const d = e.data as ReminderFailedData;
      return `after ${d.attempts} attempts: ${d.lastError}`;
    }
    case 'ReminderRescheduled': {
      const d = e.data as ReminderRescheduledData;
      return `due ${d.dueAt} (was ${d.previousDueAt})`;
    }
    case 'ReminderRetriggered': {
      const d = e.data as ReminderRetriggeredData;
      return `due ${d.dueAt}, attempts start over`;
    }
    default:
      return '';
  }
}
