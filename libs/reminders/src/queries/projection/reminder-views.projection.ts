import { RecordedEvent } from '@herald/event-store';
import { ProjectionDefinition, ViewFold, applyToViews, viewProjection } from '@herald/runtime';
import { ViewStore } from '@herald/view-store';
import { REMINDER_STREAM_PREFIX, ReminderEvent, isReminderEvent } from '../../domain';
import { ReminderView } from '../reminder-view';
import { projectReminderView } from './reminder-view.projection';

/** Kept from before projections were definitions: its checkpoint must not change name (that would replay the log). */
export const REMINDER_VIEWS_PROJECTION = 'query.reminder-views';

/** One reminder's view from its events: the read model's fold, also what commands and reads fold from a stream. */
export const REMINDER_VIEW_FOLD: ViewFold<ReminderView, ReminderEvent> = { isEvent: isReminderEvent, project: projectReminderView };

const options = (views: ViewStore<ReminderView>) => ({
  ...REMINDER_VIEW_FOLD,
  name: REMINDER_VIEWS_PROJECTION,
  categories: [REMINDER_STREAM_PREFIX],
  store: views,
  idOf: (e: { data: { reminderId: string } }) => e.data.reminderId,
  creates: (e: { type: string }) => e.type === 'ReminderDefined',
});

/** Keeps the reminder read model up to date from the log. */
export function reminderViewsProjection(views: ViewStore<ReminderView>): ProjectionDefinition {
  return viewProjection(options(views));
}

/** A batch of reminder events into the read model (see applyToViews). */
export const applyToReminderViews = (views: ViewStore<ReminderView>, events: RecordedEvent[]) => applyToViews(options(views), events);
