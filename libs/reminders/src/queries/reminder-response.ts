import { ReminderView } from './reminder-view';

/** The API's shape of a reminder; `timeLeft` is seconds until due, 0 once not Active. */
export function toReminderResponse(view: ReminderView, now: Date) {
  const { revision: _revision, id, status, ...rest } = view;
  const timeLeft = status === 'Active' ? Math.max(0, Date.parse(view.dueAt) - now.getTime()) / 1000 : 0;
  // Views projected before reminders had owners lack the field until a replay: null, as documented.
  return { id, status, timeLeft, ...rest, owner: rest.owner ?? null };
}
