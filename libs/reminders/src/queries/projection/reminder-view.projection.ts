import { ReminderEvent } from '../../domain';
import { ReminderView } from '../reminder-view';

/**
 * The read model as a pure fold: the view after `event` (at `revision` of
 * its stream). The store's revision guard makes re-applying it harmless.
 */
export function projectReminderView(view: ReminderView | null, event: ReminderEvent, revision: number, recordedAt: Date): ReminderView | null {
  const updatedAt = recordedAt.toISOString();
  if (event.type === 'ReminderDefined') {
    const d = event.data;
    return {
      id: d.reminderId,
      status: 'Active',
      dueAt: d.dueAt,
      nextAttemptAt: d.dueAt,
      address: d.address,
      payload: d.payload,
      headerNames: Object.keys(d.headers),
      maxAttempts: d.maxAttempts,
      timeoutMs: d.timeoutMs,
      attempts: 0,
      lastError: null,
      lastStatusCode: null,
      createdAt: d.definedAt,
      updatedAt,
      completedAt: null,
      failedAt: null,
      cancelledAt: null,
      owner: d.owner ?? null,
      scheduleId: d.scheduleId ?? null,
      scheduledFor: d.scheduledFor ?? null,
      revision,
    };
  }
  if (view === null) return null;
  const base = { ...view, revision, updatedAt };
  switch (event.type) {
    case 'CallbackAttemptFailed':
      return {
        ...base,
        attempts: event.data.attempt,
        lastError: event.data.error,
        lastStatusCode: event.data.statusCode,
        nextAttemptAt: event.data.nextAttemptAt,
      };
    case 'ReminderCompleted':
      return {
        ...base,
        status: 'Completed',
        attempts: event.data.attempt,
        lastStatusCode: event.data.statusCode,
        nextAttemptAt: null,
        completedAt: event.data.completedAt,
      };
    case 'ReminderFailed':
      return {
        ...base,
        status: 'Failed',
        attempts: event.data.attempts,
        lastError: event.data.lastError,
        nextAttemptAt: null,
        failedAt: event.data.failedAt,
      };
    case 'ReminderCancelled':
      return { ...base, status: 'Cancelled', nextAttemptAt: null, cancelledAt: event.data.cancelledAt };
    case 'ReminderRescheduled':
      return { ...base, dueAt: event.data.dueAt, nextAttemptAt: event.data.dueAt };
    case 'ReminderRetriggered':
      // A new run: attempts start over, and what ended the last one is in the history, not in the view.
      return {
        ...base,
        status: 'Active',
        dueAt: event.data.dueAt,
        nextAttemptAt: event.data.dueAt,
        attempts: 0,
        lastError: null,
        lastStatusCode: null,
        failedAt: null,
        cancelledAt: null,
      };
  }
}
