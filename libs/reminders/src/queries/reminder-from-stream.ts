import { EventStore } from '@herald/event-store';
import { viewFromStream } from '@herald/runtime';
import { reminderStream } from '../domain';
import { REMINDER_VIEW_FOLD } from './projection/reminder-views.projection';
import { ReminderView } from './reminder-view';

/**
 * The reminder as its stream says now, for answering a command that just
 * succeeded on it: the read model's fold, without waiting for the projection.
 */
export async function reminderViewOf(events: EventStore, reminderId: string): Promise<ReminderView> {
  const view = viewFromStream(REMINDER_VIEW_FOLD, await events.readStream(reminderStream(reminderId)));
  if (!view) throw new Error(`reminder ${reminderId} has no events`); // only called after a command succeeded on it
  return view;
}
