import { EventStore } from '@herald/event-store';
import { currentView } from '@herald/runtime';
import { reminderStream } from '../domain';
import { REMINDER_VIEW_FOLD } from './projection/reminder-views.projection';
import { ReminderView } from './reminder-view';

/** The reminder as its stream says now: for answering a command that just succeeded on it. */
export const reminderViewOf = (events: EventStore, reminderId: string): Promise<ReminderView> =>
  currentView(events, REMINDER_VIEW_FOLD, reminderStream(reminderId));
