import { RecordedEvent } from '@herald/event-store';
import { isTaskEvent } from '../domain';
import { projectTaskView } from './projection/task-view.projection';
import { TaskView } from './task-view';

/**
 * The view a command answers with, folded from the stream it just wrote: the
 * same fold as the read model's, without waiting for the projection to catch up.
 */
export function taskViewFromStream(events: readonly RecordedEvent[]): TaskView | null {
  return events.reduce<TaskView | null>((view, e) => (isTaskEvent(e) ? projectTaskView(view, e, e.revision, e.recordedAt) : view), null);
}
