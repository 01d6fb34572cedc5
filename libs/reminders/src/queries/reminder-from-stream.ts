import { EventStore, RecordedEvent } from '@herald/event-store';
import { isReminderEvent, reminderStream } from '../domain';
import { projectReminderView } from './projection/reminder-view.projection';
import { ReminderView } from './reminder-view';

/**
 * The view a command answers with, folded from the stream it just wrote: the
 * same fold as the read model's, without waiting for the projection to catch up.
 */
export function reminderViewFromStream(events: readonly RecordedEvent[]): ReminderView | null {
  return events.reduce<ReminderView | null>((view, e) => (isReminderEvent(e) ? projectReminderView(view, e, e.revision, e.recordedAt) : view), null);
}

/** The reminder as its stream says now; for answering a command that just succeeded on it. */
export async function reminderViewOf(events: EventStore, reminderId: string): Promise<ReminderView> {
  const view = reminderViewFromStream(await events.readStream(reminderStream(reminderId)));
  if (!view) throw new Error(`reminder ${reminderId} has no events`); // only called after a command succeeded on it
  return view;
}
